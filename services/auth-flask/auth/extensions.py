"""Extensions, created unbound here and bound to an app in `create_app()`.

Keeping them unbound lets tests build several apps with different settings in one process.
"""

from typing import Any

import redis
from celery import Celery
from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase

from auth.keys import KeyRing

# Named constraints make migrations reproducible and let SQLite's batch mode alter tables.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_on_connect(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores foreign keys unless asked
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not wait for the one writer
    cursor.close()


def enable_sqlite_pragmas(engine: Engine) -> None:
    """Make SQLite (the development database) enforce what PostgreSQL enforces."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)


class RedisClient:
    """One redis-py client per app, built from REDIS_URL."""

    def init_app(self, app: Flask) -> None:
        app.extensions["auth.redis"] = redis.Redis.from_url(
            app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2
        )

    @property
    def client(self) -> redis.Redis:
        return current_app.extensions["auth.redis"]


class SigningKeys:
    """The app's `KeyRing`, read from JWT_PRIVATE_KEY_FILE and JWT_PREVIOUS_KEY_FILE."""

    def init_app(self, app: Flask) -> None:
        app.extensions["auth.keys"] = KeyRing(
            current_path=app.config["JWT_PRIVATE_KEY_FILE"],
            previous_path=app.config["JWT_PREVIOUS_KEY_FILE"],
        )

    @property
    def ring(self) -> KeyRing:
        return current_app.extensions["auth.keys"]


class EventBroker:
    """A Celery app per Flask app that only sends: the outbox relay's way to the event queues.

    No worker of this service consumes anything, so the app declares no tasks; it sends tasks by
    name (`notify.handle_event`) to the subscriber's own queue on the Redis at REDIS_URL.
    Connections are opened on the first send, so processes that never relay never connect.
    """

    def init_app(self, app: Flask) -> None:
        timeout = app.config["OUTBOX_BROKER_TIMEOUT_SECONDS"]
        celery = Celery("auth", set_as_current=False)
        celery.conf.update(
            broker_url=app.config["REDIS_URL"],
            broker_connection_timeout=timeout,
            broker_transport_options={"socket_connect_timeout": timeout, "socket_timeout": 5},
            task_serializer="json",
            accept_content=["json"],
            # Retry a send on connection errors, as the relay asks for, within this policy.
            task_publish_retry=True,
            task_publish_retry_policy=app.config["OUTBOX_PUBLISH_RETRY_POLICY"],
        )
        app.extensions["auth.celery"] = celery

    @property
    def celery(self) -> Celery:
        return current_app.extensions["auth.celery"]


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# Storage, strategy and key prefix come from the RATELIMIT_* settings in config.py. The client
# address is the one ProxyFix derived from X-Forwarded-For (see TRUSTED_PROXY_COUNT).
limiter = Limiter(key_func=get_remote_address)
redis_client = RedisClient()
signing_keys = SigningKeys()
event_broker = EventBroker()
