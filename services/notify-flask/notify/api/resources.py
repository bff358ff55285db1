"""The notifications API: one Resource per operation; each validates, calls one service, answers.

Every operation acts on the caller's own notifications only (the user id comes from the verified
token, never from the request), so another user's notification is simply "not found".
"""

from typing import Any
from urllib.parse import urlencode

from flask import current_app, request
from flask_restful import Resource
from marshmallow import Schema
from marshmallow import ValidationError as SchemaValidationError

from notify.api.schemas import (
    EmptyBodySchema,
    NotificationListQuerySchema,
    NotificationPageSchema,
    NotificationSchema,
    UnreadCountSchema,
)
from notify.errors import InvalidJson, UnsupportedMediaType, ValidationError
from notify.services import (
    notification_list,
    notification_mark_all_read,
    notification_mark_read,
    notification_unread_count,
)
from notify.tokens import current_principal, login_required


def load_query(schema: Schema) -> dict[str, Any]:
    try:
        return schema.load(request.args.to_dict())
    except SchemaValidationError as exc:
        raise ValidationError(details=exc.messages) from exc


def load_body(schema: Schema) -> dict[str, Any]:
    """The JSON body checked by `schema`; an empty body counts as `{}`."""
    if not request.get_data(cache=True):
        data: Any = {}
    elif not request.is_json:
        raise UnsupportedMediaType()
    else:
        data = request.get_json(silent=True)
        if data is None:
            raise InvalidJson()
    try:
        return schema.load(data)
    except SchemaValidationError as exc:
        raise ValidationError(details=exc.messages) from exc


def page_url(page: int, page_size: int) -> str:
    return f"{request.base_url}?{urlencode({'page': page, 'page_size': page_size})}"


class NotificationListApi(Resource):
    method_decorators = [login_required]

    def get(self):
        query = load_query(NotificationListQuerySchema())
        page = notification_list(user_id=current_principal().user_id, **query)
        return NotificationPageSchema().dump(
            {
                "count": page.count,
                "page": page.page,
                "page_size": page.page_size,
                "total_pages": page.total_pages,
                "next": page_url(page.page + 1, page.page_size)
                if page.page < page.total_pages
                else None,
                "previous": page_url(page.page - 1, page.page_size) if page.page > 1 else None,
                "results": page.items,
            }
        )


class NotificationUnreadCountApi(Resource):
    method_decorators = [login_required]

    def get(self):
        unread = notification_unread_count(user_id=current_principal().user_id)
        return UnreadCountSchema().dump({"unread": unread})


class NotificationReadApi(Resource):
    method_decorators = [login_required]

    def post(self, notification_id: int):
        load_body(EmptyBodySchema())
        notification = notification_mark_read(
            user_id=current_principal().user_id, notification_id=notification_id
        )
        return NotificationSchema().dump(notification)


class NotificationReadAllApi(Resource):
    method_decorators = [login_required]

    def post(self):
        load_body(EmptyBodySchema())
        notification_mark_all_read(user_id=current_principal().user_id)
        return current_app.response_class(status=204)


class OpenApiDocumentApi(Resource):
    def get(self):
        return current_app.extensions["notify.openapi"]
