"""The request id: read from the gateway's X-Request-ID, echoed, logged, passed on.

It lives in a context variable so that log records, outgoing REST calls and event envelopes
can read it without being handed the request.
"""

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# A client's value is kept only when it is a short, log-safe token.
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def set_request_id(value: str | None) -> None:
    _current.set(value)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if _SANE.match(given) else new_request_id()
        token = _current.set(request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response
