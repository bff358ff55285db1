"""HTTP adapters: each resource validates input, calls one service and serialises the result.

Rules live in services.py; what a request may contain lives in schemas.py. The refresh token
never appears in a response body: it travels only in an HttpOnly cookie scoped to /api/auth, out
of reach of page scripts.
"""

from typing import Any

from flask import Response, current_app, jsonify, make_response, request
from flask_restful import Resource
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import BadRequest

from auth import openapi, selectors, services
from auth.api import schemas
from auth.errors import InvalidJson, NotAuthenticated, PermissionDenied, ValidationFailed
from auth.extensions import limiter, signing_keys
from auth.tokens import SERVICE_AUDIENCE, SERVICE_ROLE, USER_AUDIENCE, Claims, token_decode

REFRESH_COOKIE = "refresh_token"
REFRESH_COOKIE_PATH = "/api/auth"


def json_input(schema: Schema) -> dict[str, Any]:
    """The request body, parsed and validated; 415, 400 invalid_json or 400 validation_error."""
    try:
        payload = request.get_json()  # raises 415 itself when the body is not application/json
    except BadRequest as exc:
        raise InvalidJson() from exc
    try:
        return schema.load(payload)
    except ValidationError as exc:
        details = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ValidationFailed(details=details) from exc


def _bearer_claims() -> Claims:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated()
    return token_decode(token.strip())


def authenticated_user_id() -> int:
    """The id of the user whose access token came with the request (401 without one)."""
    claims = _bearer_claims()
    if USER_AUDIENCE not in claims.audiences or claims.user_id is None:
        raise PermissionDenied("This endpoint takes a user's access token.")
    return claims.user_id


def authenticated_service() -> Claims:
    """The claims of a service token (401 without a token, 403 with a user's token)."""
    claims = _bearer_claims()
    if SERVICE_AUDIENCE not in claims.audiences or SERVICE_ROLE not in claims.roles:
        raise PermissionDenied("This endpoint takes a service token.")
    return claims


def _config_limit(name: str) -> Any:
    return limiter.limit(lambda: current_app.config[name])


def _login_response(result: services.LoginResult, *, status: int) -> Response:
    body = schemas.LoginResultOutput().dump(
        {
            "access_token": result.access_token.token,
            "expires_in": result.access_token.expires_in,
            "user": result.user,
        }
    )
    response = make_response(jsonify(body), status)
    response.set_cookie(
        REFRESH_COOKIE,
        result.refresh_token,
        max_age=result.refresh_token_max_age,
        path=REFRESH_COOKIE_PATH,
        secure=current_app.config["COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )
    return response


def _no_content(*, clear_refresh_cookie: bool = False) -> Response:
    response = Response(status=204)
    if clear_refresh_cookie:
        response.delete_cookie(
            REFRESH_COOKIE,
            path=REFRESH_COOKIE_PATH,
            secure=current_app.config["COOKIE_SECURE"],
            httponly=True,
            samesite="Strict",
        )
    return response


class RegisterApi(Resource):
    decorators = [_config_limit("RATE_LIMIT_REGISTER")]

    def post(self) -> Response:
        data = json_input(schemas.RegisterInput())
        result = services.user_register(**data)
        return _login_response(result, status=201)


class LoginApi(Resource):
    decorators = [_config_limit("RATE_LIMIT_LOGIN")]

    def post(self) -> Response:
        data = json_input(schemas.LoginInput())
        result = services.user_authenticate(**data)
        return _login_response(result, status=200)


class TokenRefreshApi(Resource):
    def post(self) -> Response:
        result = services.token_refresh(refresh_token=request.cookies.get(REFRESH_COOKIE))
        return _login_response(result, status=200)


class LogoutApi(Resource):
    def post(self) -> Response:
        services.user_logout(refresh_token=request.cookies.get(REFRESH_COOKIE))
        return _no_content(clear_refresh_cookie=True)


class MeApi(Resource):
    def get(self) -> tuple[dict[str, Any], int]:
        user = selectors.user_get(user_id=authenticated_user_id())
        return schemas.UserOutput().dump(user), 200

    def patch(self) -> tuple[dict[str, Any], int]:
        user_id = authenticated_user_id()
        data = json_input(schemas.ProfileUpdateInput())
        user = services.user_update(user_id=user_id, **data)
        return schemas.UserOutput().dump(user), 200


class PasswordChangeApi(Resource):
    def post(self) -> Response:
        user_id = authenticated_user_id()
        data = json_input(schemas.PasswordChangeInput())
        services.user_password_change(user_id=user_id, **data)
        # Every session just ended, this browser's included: its cookie is now useless.
        return _no_content(clear_refresh_cookie=True)


class JwksApi(Resource):
    def get(self) -> Response:
        response = jsonify(schemas.JwksOutput().dump(signing_keys.ring.jwks()))
        # Short enough that verifiers see a rotation soon; they also refetch on an unknown kid.
        response.headers["Cache-Control"] = "public, max-age=300"
        return response


class OpenApiDocumentApi(Resource):
    def get(self) -> Response:
        return jsonify(openapi.spec_dict())


class ServiceTokenApi(Resource):
    decorators = [_config_limit("RATE_LIMIT_SERVICE_TOKEN")]

    def post(self) -> Response:
        data = json_input(schemas.ServiceTokenInput())
        token = services.service_token_issue(**data)
        body = schemas.ServiceTokenOutput().dump(
            {"access_token": token.token, "expires_in": token.expires_in}
        )
        return jsonify(body)


class InternalUserApi(Resource):
    def get(self, user_id: int) -> tuple[dict[str, Any], int]:
        authenticated_service()
        user = selectors.user_get(user_id=user_id)
        return schemas.UserOutput().dump(user), 200
