"""HTTP adapters: each resource validates input, calls one service and serialises the result.

Every operation acts on the caller's own notifications only: the user id comes from the verified
token, never from the request, so another user's notification is simply "not found".
"""

from typing import Any
from urllib.parse import urlencode

from flask import Response, jsonify, request
from flask_restful import Resource
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import BadRequest

from notify import openapi, services
from notify.api import schemas
from notify.errors import InvalidJson, ValidationFailed
from notify.tokens import authenticated_user_id


def _validated(schema: Schema, payload: Any) -> dict[str, Any]:
    try:
        return schema.load(payload)
    except ValidationError as exc:
        details = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ValidationFailed(details=details) from exc


def json_input(schema: Schema) -> dict[str, Any]:
    """The request body, parsed and validated; an absent body counts as `{}`.

    415 when a body is not application/json, 400 invalid_json or 400 validation_error.
    """
    if not request.get_data(cache=True):
        return _validated(schema, {})
    try:
        payload = request.get_json()  # raises 415 itself when the body is not application/json
    except BadRequest as exc:
        raise InvalidJson() from exc
    return _validated(schema, payload)


def query_input(schema: Schema) -> dict[str, Any]:
    return _validated(schema, request.args.to_dict())


def _page_url(page: int, page_size: int) -> str:
    return f"{request.base_url}?{urlencode({'page': page, 'page_size': page_size})}"


class NotificationListApi(Resource):
    def get(self) -> tuple[dict[str, Any], int]:
        user_id = authenticated_user_id()
        query = query_input(schemas.NotificationListInput())
        page = services.notification_list(user_id=user_id, **query)
        has_next = page.page < page.total_pages
        body = schemas.NotificationPageOutput().dump(
            {
                "count": page.count,
                "page": page.page,
                "page_size": page.page_size,
                "total_pages": page.total_pages,
                "next": _page_url(page.page + 1, page.page_size) if has_next else None,
                "previous": _page_url(page.page - 1, page.page_size) if page.page > 1 else None,
                "results": page.items,
            }
        )
        return body, 200


class NotificationUnreadCountApi(Resource):
    def get(self) -> tuple[dict[str, Any], int]:
        unread = services.notification_unread_count(user_id=authenticated_user_id())
        return schemas.UnreadCountOutput().dump({"unread": unread}), 200


class NotificationReadApi(Resource):
    def post(self, notification_id: int) -> tuple[dict[str, Any], int]:
        user_id = authenticated_user_id()
        json_input(schemas.MarkReadInput())
        notification = services.notification_mark_read(
            user_id=user_id, notification_id=notification_id
        )
        return schemas.NotificationOutput().dump(notification), 200


class NotificationReadAllApi(Resource):
    def post(self) -> Response:
        user_id = authenticated_user_id()
        json_input(schemas.MarkReadInput())
        services.notification_mark_all_read(user_id=user_id)
        return Response(status=204)


class OpenApiDocumentApi(Resource):
    def get(self) -> Response:
        return jsonify(openapi.spec_dict())
