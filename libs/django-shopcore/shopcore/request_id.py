"""The id of the request being handled, readable anywhere in the same thread or task."""

import re
import uuid
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"

# The gateway sends a 32-character hex id; callers may send their own, within reason.
_SANE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current() -> str | None:
    """The request id of the request being handled, or None outside a request."""
    return _current.get()


def accept_or_create(candidate: str | None) -> str:
    """Keep a caller's id when it is a sane token, else make a fresh one."""
    if candidate and _SANE.match(candidate):
        return candidate
    return uuid.uuid4().hex


def outgoing_headers() -> dict[str, str]:
    """Headers that pass the current request id on to another service."""
    request_id = current()
    return {HEADER: request_id} if request_id else {}


def bind(request_id: str) -> Token[str | None]:
    """Make `request_id` current until `unbind` is called with the returned token."""
    return _current.set(request_id)


def unbind(token: Token[str | None]) -> None:
    _current.reset(token)
