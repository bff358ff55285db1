"""The OpenAPI 3 document, generated with apispec from the marshmallow schemas.

Operations are listed in one table here instead of YAML in docstrings; a test checks that the
table and the app's URL map hold exactly the same operations, so the document cannot drift from
the routes. Served at `/api/notifications/openapi.json`; `python -m notify openapi PATH` writes
it without any configuration, for the contract snapshot in `contracts/openapi/notify.json`.

Output fields that are always sent are `required` in the schemas, `null` or not: a client
generated from this document may then rely on the key being there.
"""

import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema

from notify.api import schemas

TITLE = "notify-flask"
VERSION = "1.0.0"
OPENAPI_VERSION = "3.0.3"

_ERRORS = {
    400: ("BadRequest", "Invalid JSON (`invalid_json`) or invalid fields (`validation_error`)."),
    401: ("Unauthorized", "Missing, invalid or expired access token."),
    404: ("NotFound", "No such notification among the caller's (`not_found`)."),
    413: ("PayloadTooLarge", "The body exceeds 16 KiB (`payload_too_large`)."),
    415: ("UnsupportedMediaType", "A body was sent that is not application/json."),
    503: ("ServiceUnavailable", "A dependency is unavailable (`service_unavailable`)."),
}
_JSON_BODY_ERRORS = (400, 413, 415)

_PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {
        "name": "page_size",
        "in": "query",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": schemas.MAX_PAGE_SIZE,
            "default": schemas.DEFAULT_PAGE_SIZE,
        },
    },
]
_NOTIFICATION_ID_PARAMETER = [
    {"name": "notification_id", "in": "path", "required": True, "schema": {"type": "integer"}}
]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    status: int
    description: str
    response: type[Schema] | str | None = None
    request: type[Schema] | None = None
    security: str | None = None
    errors: tuple[int, ...] = ()
    parameters: tuple[dict[str, Any], ...] = ()


OPERATIONS = (
    Operation(
        method="get",
        path="/api/notifications/",
        summary="The caller's notifications, newest first",
        tag="inbox",
        status=200,
        description="One page of notifications.",
        response=schemas.NotificationPageOutput,
        security="userToken",
        errors=(400, 401),
        parameters=tuple(_PAGE_PARAMETERS),
    ),
    Operation(
        method="get",
        path="/api/notifications/unread-count/",
        summary="How many notifications are unread",
        tag="inbox",
        status=200,
        description="The unread count (for the bell).",
        response=schemas.UnreadCountOutput,
        security="userToken",
        errors=(401,),
    ),
    Operation(
        method="post",
        path="/api/notifications/{notification_id}/read/",
        summary="Mark one notification read",
        tag="inbox",
        status=200,
        description="The notification, read (marking it again changes nothing).",
        response=schemas.NotificationOutput,
        request=schemas.MarkReadInput,
        security="userToken",
        errors=(*_JSON_BODY_ERRORS, 401, 404),
        parameters=tuple(_NOTIFICATION_ID_PARAMETER),
    ),
    Operation(
        method="post",
        path="/api/notifications/read-all/",
        summary="Mark every notification read",
        tag="inbox",
        status=204,
        description="All of the caller's notifications are read.",
        request=schemas.MarkReadInput,
        security="userToken",
        errors=(*_JSON_BODY_ERRORS, 401),
    ),
    Operation(
        method="get",
        path="/api/notifications/openapi.json",
        summary="This document",
        tag="meta",
        status=200,
        description="The OpenAPI document.",
        response="object",
    ),
    Operation(
        method="get",
        path="/healthz",
        summary="Liveness: the process answers",
        tag="meta",
        status=200,
        description="Alive.",
        response="object",
    ),
    Operation(
        method="get",
        path="/readyz",
        summary="Readiness: database and Redis answer",
        tag="meta",
        status=200,
        description="Ready.",
        response="object",
        errors=(503,),
    ),
)


def _json(schema: type[Schema] | str) -> dict[str, Any]:
    if isinstance(schema, str):
        return {"application/json": {"schema": {"type": schema}}}
    return {"application/json": {"schema": schema}}


def _operation(op: Operation) -> dict[str, Any]:
    success: dict[str, Any] = {"description": op.description}
    if op.response is not None:
        success["content"] = _json(op.response)
    responses: dict[str, Any] = {str(op.status): success}
    for status in op.errors:
        responses[str(status)] = {"$ref": f"#/components/responses/{_ERRORS[status][0]}"}
    if op.security is not None:
        # The token keys come from auth; while they cannot be fetched, nothing can be verified.
        responses.setdefault("503", {"$ref": "#/components/responses/ServiceUnavailable"})

    operation: dict[str, Any] = {
        # get /api/notifications/unread-count/ -> get_api_notifications_unread_count
        "operationId": re.sub(r"[^A-Za-z0-9]+", "_", f"{op.method}{op.path}").strip("_"),
        "summary": op.summary,
        "tags": [op.tag],
        "responses": responses,
    }
    if op.request is not None:
        # Optional: the mark-read actions are usually called without a body at all.
        operation["requestBody"] = {"required": False, "content": _json(op.request)}
    if op.security is not None:
        operation["security"] = [{op.security: []}]
    if op.parameters:
        operation["parameters"] = list(op.parameters)
    return operation


@cache
def spec_dict() -> dict[str, Any]:
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Each user's notification inbox for the reference shop. "
            "Notifications are written by the service's event consumer, one per domain event, "
            "never through this API. Every error answers "
            '{"error": {"code", "message", "details"}}.'
        },
    )
    for name, schema in (
        ("Notification", schemas.NotificationOutput),
        ("NotificationPage", schemas.NotificationPageOutput),
        ("UnreadCount", schemas.UnreadCountOutput),
        ("MarkReadInput", schemas.MarkReadInput),
        ("Error", schemas.ErrorOutput),
    ):
        spec.components.schema(name, schema=schema)

    spec.components.security_scheme(
        "userToken",
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A user's access token from auth-flask (aud shop).",
        },
    )
    for _status, (name, description) in sorted(_ERRORS.items()):
        spec.components.response(
            name, {"description": description, "content": _json(schemas.ErrorOutput)}
        )

    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def document_json() -> str:
    """The document as stable, diff-friendly JSON text."""
    return json.dumps(spec_dict(), indent=2, sort_keys=True) + "\n"


def write_document(path: str | None) -> None:
    """Write the document to `path`, or to stdout without one."""
    if path:
        Path(path).write_text(document_json(), encoding="utf-8")
    else:
        sys.stdout.write(document_json())
