"""The route table: every public URL of the service, under /api/notifications/.

The gateway forwards /api/notifications/ unchanged. This service has no internal endpoints:
everything it learns from other services arrives as events on its queue.
"""

from typing import Any

from flask import Blueprint, Response
from flask_restful import Api

from notify.api import resources


class JsonApi(Api):
    """Flask-RESTful's `Api` without its own error format: errors.py answers every error."""

    def error_router(self, original_handler: Any, e: Exception) -> Any:
        return original_handler(e)


blueprint = Blueprint("api", __name__)
api = JsonApi(blueprint)

api.add_resource(resources.NotificationListApi, "/api/notifications/")
api.add_resource(resources.NotificationUnreadCountApi, "/api/notifications/unread-count/")
api.add_resource(resources.NotificationReadApi, "/api/notifications/<int:notification_id>/read/")
api.add_resource(resources.NotificationReadAllApi, "/api/notifications/read-all/")
api.add_resource(resources.OpenApiDocumentApi, "/api/notifications/openapi.json")


@blueprint.after_request
def _private_by_default(response: Response) -> Response:
    # A user's inbox must not be kept by shared caches (the gateway's microcache included).
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response
