"""The OpenAPI 3 document of the public API, generated with apispec from the routes and schemas.

Paths come from the Flask routes, bodies from the marshmallow schemas (MarshmallowPlugin), so
the document cannot drift from the code it describes. It is served at
`/api/notifications/openapi.json`; the SPA's types are checked against it.
"""

import copy
import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema, fields

from notify.api.schemas import (
    MAX_PAGE_SIZE,
    NotificationPageSchema,
    NotificationSchema,
    UnreadCountSchema,
)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)
    details = fields.Dict(required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": "Error"}}}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


AUTH_ERRORS = {
    "401": _error("No access token, or one that is invalid or expired."),
    "503": _error("The token keys cannot be fetched right now."),
}
BODY_ERRORS = {
    "400": _error("The body is not valid JSON, or has fields (none are accepted)."),
    "415": _error("A body was sent that is not application/json."),
}

OPERATIONS: dict[str, dict[str, Any]] = {
    "notifications.list": {
        "get": {
            "operationId": "notifications_list",
            "summary": "The caller's notifications, newest first.",
            "parameters": [
                {
                    "in": "query",
                    "name": "page",
                    "schema": {"type": "integer", "minimum": 1, "default": 1},
                },
                {
                    "in": "query",
                    "name": "page_size",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_PAGE_SIZE,
                        "default": 20,
                    },
                },
            ],
            "responses": {
                "200": _ok("NotificationPage", "One page of notifications."),
                "400": _error("page or page_size out of range."),
                **AUTH_ERRORS,
            },
        }
    },
    "notifications.unread_count": {
        "get": {
            "operationId": "notifications_unread_count",
            "summary": "How many of the caller's notifications are unread.",
            "responses": {"200": _ok("UnreadCount", "The unread count."), **AUTH_ERRORS},
        }
    },
    "notifications.read": {
        "post": {
            "operationId": "notifications_mark_read",
            "summary": "Mark one of the caller's notifications read (idempotent).",
            "parameters": [
                {
                    "in": "path",
                    "name": "notification_id",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "responses": {
                "200": _ok("Notification", "The notification, now read."),
                **BODY_ERRORS,
                **AUTH_ERRORS,
                "404": _error("No such notification among the caller's."),
            },
        }
    },
    "notifications.read_all": {
        "post": {
            "operationId": "notifications_mark_all_read",
            "summary": "Mark every notification of the caller read.",
            "responses": {"204": {"description": "All read."}, **BODY_ERRORS, **AUTH_ERRORS},
        }
    },
}


def build_openapi(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="notify-flask",
        version="1.0.0",
        openapi_version="3.0.3",
        info={
            "description": "The user's notification inbox. Notifications are written by the "
            "service's event consumer (one per domain event), never through this API."
        },
        plugins=[MarshmallowPlugin()],
    )
    spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    spec.components.schema("Error", schema=ErrorSchema)
    spec.components.schema("Notification", schema=NotificationSchema)
    spec.components.schema("NotificationPage", schema=NotificationPageSchema)
    spec.components.schema("UnreadCount", schema=UnreadCountSchema)
    for endpoint, described in OPERATIONS.items():
        operations = copy.deepcopy(described)
        for operation in operations.values():
            operation["security"] = [{"bearerAuth": []}]
            operation.setdefault("tags", ["notifications"])
        spec.path(path=openapi_path(app, endpoint), operations=operations)
    return spec.to_dict()


def openapi_path(app: Flask, endpoint: str) -> str:
    """The route of `endpoint` as OpenAPI writes it: `<int:id>` becomes `{id}`."""
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
