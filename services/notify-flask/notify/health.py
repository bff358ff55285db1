"""Probes: /healthz says the process answers, /readyz that its dependencies answer too.

An orchestrator restarts a process whose /healthz fails and stops sending traffic to one whose
/readyz fails, so /healthz must never depend on the database: a database outage would otherwise
restart every healthy process.
"""

import logging

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from notify.errors import error_response
from notify.extensions import db, redis_client

logger = logging.getLogger(__name__)

blueprint = Blueprint("health", __name__)


def _check_database() -> str | None:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means not ready; the reason goes to the log
        logger.warning("Readiness check: database unavailable: %s", exc)
        return "unavailable"
    return None


def _check_redis() -> str | None:
    try:
        redis_client.client.ping()
    except Exception as exc:
        logger.warning("Readiness check: Redis unavailable: %s", exc)
        return "unavailable"
    return None


@blueprint.get("/healthz")
def healthz() -> Response:
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
def readyz() -> Response:
    failures = {"database": _check_database(), "redis": _check_redis()}
    checks = {name: failure or "ok" for name, failure in failures.items()}
    if any(failures.values()):
        return error_response(
            503,
            "service_unavailable",
            "A dependency is unavailable.",
            details={"checks": checks},
        )
    return jsonify({"status": "ready", "checks": checks})
