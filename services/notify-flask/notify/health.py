"""`/healthz` (the process answers) and `/readyz` (its database and Redis answer too).

Orchestrators restart a process whose liveness fails and stop routing to one that is not ready;
mixing the two would restart healthy processes whenever the database blinks.
"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from notify.errors import error_body
from notify.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:
        db.session.rollback()
        return f"error: {type(exc).__name__}"
    finally:
        db.session.close()
    return "ok"


def _check_redis() -> str:
    try:
        current_app.extensions["notify.redis"].ping()
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


@bp.get("/readyz")
def readyz():
    checks = {"database": _check_database(), "redis": _check_redis()}
    if all(result == "ok" for result in checks.values()):
        return jsonify({"status": "ready", "checks": checks})
    body = error_body("service_unavailable", "A dependency is not reachable.", {"checks": checks})
    return jsonify(body), 503
