"""The route table: every public (/api/auth) and internal (/internal) URL of the service.

The gateway forwards /api/auth/ unchanged and never routes /internal/, which only other
services reach, with a service token.
"""

from typing import Any

from flask import Blueprint, Response, jsonify
from flask_restful import Api

from auth.api import resources


class JsonApi(Api):
    """Flask-RESTful's `Api` without its own error format: errors.py answers every error."""

    def error_router(self, original_handler: Any, e: Exception) -> Any:
        return original_handler(e)


blueprint = Blueprint("api", __name__)
api = JsonApi(blueprint)


@api.representation("application/json")
def _output_json(data: Any, code: int, headers: Any = None) -> Response:
    # Serialise with Flask's JSON provider, like every other response of the app.
    response = jsonify(data)
    response.status_code = code
    response.headers.extend(headers or {})
    return response


api.add_resource(resources.RegisterApi, "/api/auth/register")
api.add_resource(resources.LoginApi, "/api/auth/login")
api.add_resource(resources.TokenRefreshApi, "/api/auth/refresh")
api.add_resource(resources.LogoutApi, "/api/auth/logout")
api.add_resource(resources.MeApi, "/api/auth/me")
api.add_resource(resources.PasswordChangeApi, "/api/auth/password")
api.add_resource(resources.JwksApi, "/.well-known/jwks.json", "/api/auth/.well-known/jwks.json")
api.add_resource(resources.OpenApiDocumentApi, "/api/auth/openapi.json")
api.add_resource(resources.ServiceTokenApi, "/internal/service-token")
api.add_resource(resources.InternalUserApi, "/internal/users/<int:user_id>")


@blueprint.after_request
def _not_cacheable_by_default(response: Response) -> Response:
    # Tokens and personal data must not be stored by browsers or proxies (RFC 6749, 5.1).
    response.headers.setdefault("Cache-Control", "no-store")
    return response
