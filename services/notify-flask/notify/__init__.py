"""notify-flask: consumes domain events, sends e-mail and keeps each user's notification inbox.

`create_app()` is the one entry point: gunicorn runs `notify:create_app()`, the Celery worker
builds it in `notify.celery_app`, the flask CLI finds it with `--app notify`, tests call it with
a `TestConfig`.
"""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from notify import models  # noqa: F401  (the models must be imported before migrations run)
from notify.api import blueprint as api_blueprint
from notify.cli import register_commands
from notify.config import Config
from notify.errors import register_error_handlers
from notify.extensions import (
    celery_init_app,
    db,
    migrate,
    peers,
    redis_client,
    user_token_keys,
)
from notify.health import blueprint as health_blueprint
from notify.logging import configure_logging, init_request_logging
from notify.mail import money

MIGRATIONS_DIRECTORY = str(Path(__file__).parent.parent / "migrations")


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    configure_logging(config.LOG_LEVEL)

    app = Flask(__name__, static_folder=None)
    app.config.from_object(config)
    app.json.sort_keys = False  # keep {"error": {"code", "message", "details"}} in that order
    # The gateway is the one proxy in front of us; next/previous links use the host it was
    # called by.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    # Block tags leave no blank lines behind: the plain-text e-mails are read as they are.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.add_template_filter(money, "money")

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, render_as_batch=True)
    redis_client.init_app(app)
    user_token_keys.init_app(app)
    peers.init_app(app)
    celery_init_app(app)

    init_request_logging(app)
    register_error_handlers(app)
    app.register_blueprint(health_blueprint)
    app.register_blueprint(api_blueprint)
    register_commands(app)
    return app
