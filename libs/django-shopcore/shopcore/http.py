"""HTTP caching for reads: validators (ETag, Last-Modified), 304s and Cache-Control.

Anonymous reads are the same for everybody, so the gateway and browsers may keep them for a
few seconds (`public, max-age=N`) and revalidate them cheaply afterwards (`If-None-Match` or
`If-Modified-Since` -> 304 without building the body). Responses to a caller with a token are
`private, no-store`: nothing shared may keep them. `Vary: Authorization` tells caches that the
answer depends on that header.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: datetime | None = None

    def usable_last_modified(self) -> int | None:
        """Last-Modified as a timestamp, or None while the source changed in this very second.

        HTTP dates have one-second resolution: a second change within the same second would
        carry the same date, and a client asking If-Modified-Since would get a wrong 304.
        """
        if self.last_modified is None:
            return None
        changed = int(self.last_modified.timestamp())
        return changed if changed < int(time.time()) else None


def cached_read(
    request: Request,
    *,
    validators: Validators,
    build: Callable[[], HttpResponseBase],
    max_age: int,
) -> HttpResponseBase:
    """Answer 304 when the client's copy is current, else build the response; add headers."""
    last_modified = validators.usable_last_modified()
    response = get_conditional_response(request, etag=validators.etag, last_modified=last_modified)
    if response is None:
        response = build()
    if 200 <= response.status_code < 300 or response.status_code == 304:
        response["ETag"] = validators.etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        set_cache_control(request, response, max_age=max_age)
    return response


def set_cache_control(request: Request, response: HttpResponseBase, *, max_age: int) -> None:
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ["Authorization"])


class IgnoreAcceptNegotiation(BaseContentNegotiation):
    """Always the view's first renderer: for endpoints that only ever answer one format."""

    def select_parser(self, request: Request, parsers: list[BaseParser]) -> BaseParser | None:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type
