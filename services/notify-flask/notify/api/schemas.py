"""Input and output schemas of the notifications API (marshmallow).

Input schemas reject unknown fields (`RAISE`), so a client that tries to set a server-owned
value learns it with a 400 and nothing changes.
"""

from datetime import UTC, datetime

from marshmallow import RAISE, Schema, fields, validate

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC with a `Z`, also for SQLite, which hands timestamps back without a zone."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat().replace("+00:00", "Z")


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    type = fields.String(required=True, metadata={"example": "order.paid"})
    title = fields.String(required=True)
    body = fields.String(required=True)
    link = fields.String(allow_none=True, metadata={"example": "/orders/6f1c..."})
    created_at = UtcDateTime(required=True)
    read_at = UtcDateTime(allow_none=True)


class NotificationPageSchema(Schema):
    count = fields.Integer(required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total_pages = fields.Integer(required=True)
    next = fields.String(allow_none=True)
    previous = fields.String(allow_none=True)
    results = fields.List(fields.Nested(NotificationSchema), required=True)


class UnreadCountSchema(Schema):
    unread = fields.Integer(required=True)


class NotificationListQuerySchema(Schema):
    class Meta:
        # Query strings pick up harmless extras (cache busters, tracking); only bodies are strict.
        unknown = "exclude"

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE)
    )


class EmptyBodySchema(Schema):
    """The mark-read actions take no input; any field sent is a mistake worth a 400."""

    class Meta:
        unknown = RAISE
