"""The OpenAPI 3 document, generated with apispec from the marshmallow schemas.

Served at /api/auth/openapi.json; `python -m auth openapi [PATH]` writes the same document
(to stdout without PATH) for snapshots such as contracts/openapi/auth.json. It needs no
configuration.

Operations are listed in one table here instead of YAML in docstrings; a test checks that the
table and the app's URL map hold exactly the same operations, so the document cannot drift from
the routes.
"""

import json
import re
import sys
from dataclasses import KW_ONLY, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema

from auth.api import schemas

TITLE = "auth-flask"
VERSION = "1.0.0"
OPENAPI_VERSION = "3.0.3"

_ERRORS = {
    400: ("BadRequest", "Invalid JSON (`invalid_json`) or invalid fields (`validation_error`)."),
    401: ("Unauthorized", "Missing, invalid or expired credentials."),
    403: ("Forbidden", "The token is valid but not for this endpoint (`permission_denied`)."),
    404: ("NotFound", "No such resource (`not_found`)."),
    409: ("Conflict", "The email address is already registered (`conflict`)."),
    413: ("PayloadTooLarge", "The body exceeds 16 KiB (`payload_too_large`)."),
    415: ("UnsupportedMediaType", "The body is not application/json."),
    429: ("RateLimited", "Too many attempts (`rate_limited`); see Retry-After."),
    503: ("ServiceUnavailable", "A dependency is unavailable (`service_unavailable`)."),
}
_JSON_BODY_ERRORS = (400, 413, 415)
_SETS_REFRESH_COOKIE = {
    "Set-Cookie": {
        "description": "`refresh_token`: HttpOnly, SameSite=Strict, Path=/api/auth, Secure when "
        "COOKIE_SECURE=true. Single use: every refresh replaces it.",
        "schema": {"type": "string"},
    }
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    _: KW_ONLY
    summary: str
    tag: str
    status: int
    description: str
    response: type[Schema] | str | None = None
    request: type[Schema] | None = None
    security: str | None = None
    errors: tuple[int, ...] = ()
    headers: dict[str, Any] = field(default_factory=dict)


OPERATIONS = (
    Operation(
        "post",
        "/api/auth/register",
        summary="Register a customer account and log in",
        tag="session",
        status=201,
        description="Registered and logged in.",
        response=schemas.LoginResultOutput,
        request=schemas.RegisterInput,
        errors=(*_JSON_BODY_ERRORS, 409, 429),
        headers=_SETS_REFRESH_COOKIE,
    ),
    Operation(
        "post",
        "/api/auth/login",
        summary="Log in with email and password",
        tag="session",
        status=200,
        description="Logged in.",
        response=schemas.LoginResultOutput,
        request=schemas.LoginInput,
        errors=(*_JSON_BODY_ERRORS, 401, 429),
        headers=_SETS_REFRESH_COOKIE,
    ),
    Operation(
        "post",
        "/api/auth/refresh",
        summary="Spend the refresh cookie for a new access token",
        tag="session",
        status=200,
        description="A new access token and a rotated refresh cookie.",
        response=schemas.LoginResultOutput,
        security="refreshCookie",
        errors=(401,),
        headers=_SETS_REFRESH_COOKIE,
    ),
    Operation(
        "post",
        "/api/auth/logout",
        summary="End the session of the refresh cookie",
        tag="session",
        status=204,
        description="Logged out; the refresh cookie is cleared.",
        security="refreshCookie",
    ),
    Operation(
        "get",
        "/api/auth/me",
        summary="The logged-in user",
        tag="account",
        status=200,
        description="The user.",
        response=schemas.UserOutput,
        security="userToken",
        errors=(401, 403),
    ),
    Operation(
        "patch",
        "/api/auth/me",
        summary="Change the logged-in user's name",
        tag="account",
        status=200,
        description="The updated user.",
        response=schemas.UserOutput,
        request=schemas.ProfileUpdateInput,
        security="userToken",
        errors=(*_JSON_BODY_ERRORS, 401, 403),
    ),
    Operation(
        "post",
        "/api/auth/password",
        summary="Change the password; ends every session",
        tag="account",
        status=204,
        description="Changed; every refresh token of the user is revoked.",
        request=schemas.PasswordChangeInput,
        security="userToken",
        errors=(*_JSON_BODY_ERRORS, 401, 403, 429),
    ),
    Operation(
        "get",
        "/.well-known/jwks.json",
        summary="Public keys that verify access tokens",
        tag="keys",
        status=200,
        description="The current key and, after a rotation, the previous one.",
        response=schemas.JwksOutput,
    ),
    Operation(
        "get",
        "/api/auth/.well-known/jwks.json",
        summary="Public keys (the same document, through the gateway)",
        tag="keys",
        status=200,
        description="The current key and, after a rotation, the previous one.",
        response=schemas.JwksOutput,
    ),
    Operation(
        "get",
        "/api/auth/openapi.json",
        summary="This document",
        tag="meta",
        status=200,
        description="The OpenAPI document.",
        response="object",
    ),
    Operation(
        "post",
        "/internal/service-token",
        summary="Client credentials: a token for calls between services",
        tag="internal",
        status=200,
        description="A service token (aud shop-internal, role service, 5 minutes).",
        response=schemas.ServiceTokenOutput,
        request=schemas.ServiceTokenInput,
        errors=(*_JSON_BODY_ERRORS, 401, 429),
    ),
    Operation(
        "get",
        "/internal/users/{user_id}",
        summary="Look a user up by id",
        tag="internal",
        status=200,
        description="The user.",
        response=schemas.UserOutput,
        security="serviceToken",
        errors=(401, 403, 404),
    ),
    Operation(
        "get",
        "/healthz",
        summary="Liveness: the process answers",
        tag="meta",
        status=200,
        description="Alive.",
        response="object",
    ),
    Operation(
        "get",
        "/readyz",
        summary="Readiness: the database and Redis answer",
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
    if op.headers:
        success["headers"] = op.headers
    responses: dict[str, Any] = {str(op.status): success}
    for status in op.errors:
        responses[str(status)] = {"$ref": f"#/components/responses/{_ERRORS[status][0]}"}
    if op.path.startswith("/api/auth/") or op.path.startswith("/internal/"):
        responses.setdefault("503", {"$ref": "#/components/responses/ServiceUnavailable"})

    operation: dict[str, Any] = {
        "operationId": re.sub(r"[^A-Za-z0-9]+", "_", f"{op.method}{op.path}").strip("_"),
        "summary": op.summary,
        "tags": [op.tag],
        "responses": responses,
    }
    if op.request is not None:
        operation["requestBody"] = {"required": True, "content": _json(op.request)}
    if op.security is not None:
        operation["security"] = [{op.security: []}]
    if "{user_id}" in op.path:
        operation["parameters"] = [
            {"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ]
    return operation


@cache
def spec_dict() -> dict[str, Any]:
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Users, passwords, roles and tokens for the reference shop. "
            'Every error answers {"error": {"code", "message", "details"}}.'
        },
    )
    for name, schema in (
        ("User", schemas.UserOutput),
        ("LoginResult", schemas.LoginResultOutput),
        ("ServiceToken", schemas.ServiceTokenOutput),
        ("Jwks", schemas.JwksOutput),
        ("Error", schemas.ErrorOutput),
        ("RegisterInput", schemas.RegisterInput),
        ("LoginInput", schemas.LoginInput),
        ("ProfileUpdateInput", schemas.ProfileUpdateInput),
        ("PasswordChangeInput", schemas.PasswordChangeInput),
        ("ServiceTokenInput", schemas.ServiceTokenInput),
    ):
        spec.components.schema(name, schema=schema)

    spec.components.security_scheme(
        "userToken",
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A user's access token (aud shop).",
        },
    )
    spec.components.security_scheme(
        "serviceToken",
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A service token (aud shop-internal, role service).",
        },
    )
    spec.components.security_scheme(
        "refreshCookie", {"type": "apiKey", "in": "cookie", "name": "refresh_token"}
    )
    for _status, (name, description) in sorted(_ERRORS.items()):
        response: dict[str, Any] = {
            "description": description,
            "content": _json(schemas.ErrorOutput),
        }
        if name == "RateLimited":
            response["headers"] = {
                "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
            }
        spec.components.response(name, response)

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
