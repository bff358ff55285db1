"""Request and response schemas (marshmallow), one input and one output per operation.

Input schemas refuse unknown fields, so a client that tries to set a server-owned value such as
`read_at` or `user_id` gets a 400 naming the field instead of a silent success.
"""

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC with a `Z`, also on SQLite, which hands timestamps back without a zone."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any):
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat().replace("+00:00", "Z")


# Inputs


class NotificationListInput(Schema):
    class Meta:
        # Query strings pick up harmless extras (cache busters); only bodies are strict.
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE)
    )


class MarkReadInput(StrictSchema):
    """The mark-read actions take no fields: a body may be absent or `{}`, nothing else."""


# Outputs: `required` marks a field that is always sent (null where `allow_none`), so the
# OpenAPI document promises the key and the SPA's types need not treat it as optional.


class NotificationOutput(Schema):
    id = fields.Integer(required=True)
    type = fields.String(required=True, metadata={"example": "order.paid"})
    title = fields.String(required=True, metadata={"example": "Order 2026-000042 is confirmed"})
    body = fields.String(required=True)
    link = fields.String(required=True, allow_none=True, metadata={"example": "/orders/<order id>"})
    created_at = UtcDateTime(required=True)
    read_at = UtcDateTime(required=True, allow_none=True)


class NotificationPageOutput(Schema):
    count = fields.Integer(required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total_pages = fields.Integer(required=True)
    next = fields.String(required=True, allow_none=True)
    previous = fields.String(required=True, allow_none=True)
    results = fields.List(fields.Nested(NotificationOutput), required=True)


class UnreadCountOutput(Schema):
    unread = fields.Integer(required=True)


class ErrorBodyOutput(Schema):
    code = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)
    details = fields.Dict(required=True)


class ErrorOutput(Schema):
    error = fields.Nested(ErrorBodyOutput, required=True)
