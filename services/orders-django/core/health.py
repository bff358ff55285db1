"""/healthz (the process answers) and /readyz (its database and Redis answer)."""

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

from core.errors import error_body


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


CHECKS = {"database": _check_database, "redis": _check_redis}


def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = f"error: {exc.__class__.__name__}"
    if all(value == "ok" for value in checks.values()):
        return JsonResponse({"status": "ready", "checks": checks})
    body = error_body("service_unavailable", "A dependency is not reachable.", {"checks": checks})
    return JsonResponse(body, status=503)
