"""notify-flask: consumes domain events, sends e-mail and keeps each user's notification inbox.

`create_app()` is the one way to build the app, for gunicorn (`notify:create_app()`), the Celery
worker (`notify.celery_app`), the `flask --app notify` commands and the tests.
"""

from pathlib import Path

import redis
from flask import Flask

from notify import models  # noqa: F401 - registers the tables on db.metadata
from notify.api import bp as api_bp
from notify.cli import register_commands
from notify.clients import Peers
from notify.config import Config
from notify.errors import register_error_handlers
from notify.extensions import celery_init_app, db, migrate
from notify.health import bp as health_bp
from notify.logging import configure_logging, init_request_ids
from notify.mail import money
from notify.openapi import build_openapi
from notify.tokens import init_tokens

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: type[Config] = Config) -> Flask:
    """Build the app from the environment; raises ConfigError naming every bad variable."""
    settings = config.from_env()
    configure_logging(settings["LOG_LEVEL"])

    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(settings)
    app.json.sort_keys = False  # keep {"error": {"code", "message", "details"}} in that order
    # Block tags leave no blank lines behind: the plain-text e-mails are read as they are.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_filter(money, "money")

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    init_tokens(app)
    app.extensions["notify.redis"] = redis.Redis.from_url(
        app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2
    )
    app.extensions["notify.peers"] = Peers(app.config)
    celery_init_app(app)

    init_request_ids(app)
    register_error_handlers(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(api_bp)
    register_commands(app)
    app.extensions["notify.openapi"] = build_openapi(app)
    return app
