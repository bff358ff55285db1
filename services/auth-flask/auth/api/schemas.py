"""Request and response schemas (marshmallow), one input and one output per operation.

Input schemas refuse unknown fields, so a client that tries to set a server-owned value such as
`roles` or `id` gets a 400 naming the field instead of a silent success.
"""

from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from auth.models import normalize_email
from auth.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH

NAME_MAX_LENGTH = 100


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class NormalizedEmail(fields.Email):
    """An email address, stripped and lower-cased before it is validated."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = normalize_email(value)
        return super()._deserialize(value, attr, data, **kwargs)


def _name_field() -> fields.String:
    return fields.String(
        required=True,
        validate=[
            validate.Length(max=NAME_MAX_LENGTH),
            validate.Predicate("strip", error="Must not be blank."),
        ],
    )


def _password_field(**kwargs: Any) -> fields.String:
    return fields.String(
        required=True,
        validate=validate.Length(min=1, max=PASSWORD_MAX_LENGTH),
        load_only=True,
        **kwargs,
    )


# Inputs


class RegisterInput(StrictSchema):
    email = NormalizedEmail(required=True, validate=validate.Length(max=254))
    password = _password_field()
    name = _name_field()


class LoginInput(StrictSchema):
    email = NormalizedEmail(required=True, validate=validate.Length(max=254))
    password = _password_field()


class ProfileUpdateInput(StrictSchema):
    name = _name_field()


class PasswordChangeInput(StrictSchema):
    current_password = _password_field()
    new_password = _password_field()


class ServiceTokenInput(StrictSchema):
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    client_secret = fields.String(
        required=True, validate=validate.Length(min=1, max=256), load_only=True
    )


# Outputs. Every field is always present; `required` says so in the OpenAPI document.


def _bearer_type() -> fields.Constant:
    return fields.Constant("Bearer", required=True, metadata={"type": "string", "enum": ["Bearer"]})


class UserOutput(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    created_at = fields.DateTime(format="iso", required=True)


class LoginResultOutput(Schema):
    access_token = fields.String(required=True)
    token_type = _bearer_type()
    expires_in = fields.Integer(
        required=True, metadata={"description": "Seconds until the access token expires."}
    )
    user = fields.Nested(UserOutput, required=True)


class ServiceTokenOutput(Schema):
    access_token = fields.String(required=True)
    token_type = _bearer_type()
    expires_in = fields.Integer(required=True)


class JwkOutput(Schema):
    kty = fields.String(required=True)
    use = fields.String(required=True)
    alg = fields.String(required=True)
    kid = fields.String(required=True)
    n = fields.String(required=True)
    e = fields.String(required=True)


class JwksOutput(Schema):
    keys = fields.List(fields.Nested(JwkOutput), required=True)


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict(required=True)


class ErrorOutput(Schema):
    error = fields.Nested(ErrorBody, required=True)
