"""auth-flask: users, passwords, roles and token issuing for the reference shop.

`create_app()` is the one entry point: gunicorn runs `auth:create_app()`, the flask CLI finds it
with `--app auth`, tests call it with a `TestConfig`.
"""

from pathlib import Path

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from auth import models  # noqa: F401  (the models must be imported before migrations run)
from auth.api import blueprint as api_blueprint
from auth.cli import register_commands
from auth.config import Config
from auth.errors import register_error_handlers
from auth.extensions import (
    db,
    enable_sqlite_pragmas,
    event_broker,
    limiter,
    migrate,
    redis_client,
    signing_keys,
)
from auth.health import blueprint as health_blueprint
from auth.logging import configure_logging, init_request_logging

MIGRATIONS_DIRECTORY = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    configure_logging(config.LOG_LEVEL)

    app = Flask(__name__)
    app.config.from_object(config)

    if app.config["TRUSTED_PROXY_COUNT"]:
        # Believe X-Forwarded-For only as far as our own proxies (the gateway) set it; a
        # client's own header could otherwise pick any IP and dodge the per-IP limits.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXY_COUNT"])

    db.init_app(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, render_as_batch=True)
    limiter.init_app(app)
    redis_client.init_app(app)
    signing_keys.init_app(app)
    event_broker.init_app(app)

    init_request_logging(app)
    register_error_handlers(app)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(api_blueprint)
    register_commands(app)

    if click.get_current_context(silent=True) is None:
        # Serving: refuse to start without a usable signing key. The flask CLI also builds the
        # app, among others for `keys generate` before any key exists, so it skips this check;
        # commands that sign or publish keys still fail clearly when the key is unusable.
        with app.app_context():
            signing_keys.ring.load()
    return app
