"""Liveness and readiness: /healthz says the process runs, /readyz that its dependencies answer.

An orchestrator restarts a process whose /healthz fails and stops routing to one whose /readyz
fails, so /healthz must never depend on the database: a database outage should take the
service out of rotation, not restart it in a loop.
"""

import functools
import logging

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, Error, connections
from django.http import HttpRequest, JsonResponse

from shopcore.errors import error_response

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "redis": _check_redis()}
    if all(result == "ok" for result in checks.values()):
        return JsonResponse({"status": "ready", "checks": checks})
    logger.warning("not ready", extra={"checks": checks})
    return error_response(
        503,
        message="A dependency of this service is unavailable.",
        details={"checks": checks},
    )


def _check_database() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        # A broken connection must not be reused by the next probe.
        connection.close_if_unusable_or_obsolete()
        return f"unavailable: {type(error).__name__}"
    return "ok"


def _check_redis() -> str:
    try:
        _redis_client(settings.REDIS_URL).ping()
    except redis.RedisError as error:
        return f"unavailable: {type(error).__name__}"
    return "ok"


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    # One client (and connection pool) per URL; short timeouts keep a probe from hanging.
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
