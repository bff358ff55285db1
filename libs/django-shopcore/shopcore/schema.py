"""OpenAPI (drf-spectacular) knowledge about shopcore's pieces."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class JwtAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "shopcore.authentication.JwtAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An RS256 access token from auth-flask.",
        }
