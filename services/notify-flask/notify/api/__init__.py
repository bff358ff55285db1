"""The public notifications API: Flask-RESTful resources on a blueprint under its public prefix.

The routes are listed here in one place, like a Django `urls.py`; the resources themselves are in
`resources.py` and their input and output schemas in `schemas.py`.
"""

from flask import Blueprint
from flask_restful import Api

from notify.api.resources import (
    NotificationListApi,
    NotificationReadAllApi,
    NotificationReadApi,
    NotificationUnreadCountApi,
    OpenApiDocumentApi,
)

PREFIX = "/api/notifications"


class JsonApi(Api):
    """An `Api` that leaves error answers to the app's handlers (the one error shape)."""

    def handle_error(self, e: Exception):
        # Re-raising makes Flask-RESTful fall back to Flask's own error handling, where
        # notify.errors answers every error the same way, inside and outside this API.
        raise e


bp = Blueprint("notifications", __name__, url_prefix=PREFIX)
api = JsonApi(bp)
api.add_resource(NotificationListApi, "/", endpoint="list")
api.add_resource(NotificationUnreadCountApi, "/unread-count/", endpoint="unread_count")
api.add_resource(NotificationReadApi, "/<int:notification_id>/read/", endpoint="read")
api.add_resource(NotificationReadAllApi, "/read-all/", endpoint="read_all")
api.add_resource(OpenApiDocumentApi, "/openapi.json", endpoint="openapi")
