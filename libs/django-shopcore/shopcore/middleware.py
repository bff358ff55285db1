"""Middleware every request passes through, outermost first (see MIDDLEWARE in settings)."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from shopcore import health, request_id
from shopcore.errors import error_response

logger = logging.getLogger("access")

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestIdMiddleware:
    """Takes the gateway's X-Request-ID (or makes one), binds it for logs, echoes it back."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        current = request_id.accept_or_create(request.headers.get(request_id.HEADER))
        request.request_id = current  # type: ignore[attr-defined]
        token = request_id.bind(current)
        try:
            response = self.get_response(request)
        finally:
            request_id.unbind(token)
        response[request_id.HEADER] = current
        return response


class AccessLogMiddleware:
    """One log line per request: method, path, status and duration, with the request id."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


class HealthCheckMiddleware:
    """Answers /healthz and /readyz before anything checks the Host header.

    Orchestrators probe containers by IP address, which no ALLOWED_HOSTS lists. The probes are
    also served under the public prefix, so the gateway can pass them on unchanged.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        prefix = f"/{settings.API_PREFIX}"
        self.routes = {
            "/healthz": health.healthz,
            f"{prefix}healthz": health.healthz,
            "/readyz": health.readyz,
            f"{prefix}readyz": health.readyz,
        }

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        view = self.routes.get(request.path)
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = error_response(405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request)


class BodySizeLimitMiddleware:
    """413 for bodies above DATA_UPLOAD_MAX_MEMORY_SIZE, decided from Content-Length.

    DRF's parsers read the request stream directly and so never reach Django's own size check;
    this one runs before any of them.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, message="Content-Length is not a number.")
        if limit is not None and length > limit:
            return error_response(
                413,
                message=f"The request body is too large (at most {limit} bytes).",
                details={"limit_bytes": limit, "content_length": length},
            )
        return self.get_response(request)


class JsonErrorMiddleware:
    """Rewrites any error response that is not JSON yet into the error shape.

    API views and Django's error handlers already answer in the shape; this catches the rest,
    such as a 405 from a plain Django view or a 412 from a conditional request, so that no
    client ever has to parse an HTML error page.
    """

    KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code < 400 or _is_json(response):
            return response
        replacement = error_response(response.status_code, message=_message(response))
        for header in self.KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement


def _is_json(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _message(response: HttpResponseBase) -> str | None:
    # A short plain-text reason from Django (e.g. a CSRF failure) is worth keeping.
    if isinstance(response, HttpResponse) and response.get("Content-Type", "").startswith(
        "text/plain"
    ):
        text = response.content.decode(errors="replace").strip()
        if 0 < len(text) <= 200:
            return text
    return None
