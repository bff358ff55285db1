"""Extensions, created unbound here and bound to an app in `create_app()`.

Keeping them unbound lets tests build several apps with different settings in one process.
Celery has no `init_app`; `celery_init_app` makes one Celery app per Flask app, and the task in
`notify.tasks` (a `shared_task`) binds to whichever is current.
"""

import jwt
import redis
from celery import Celery, Task
from flask import Flask, current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from notify.clients import Peers

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


class RedisClient:
    """One redis-py client per app, built from REDIS_URL (readiness checks)."""

    def init_app(self, app: Flask) -> None:
        app.extensions["notify.redis"] = redis.Redis.from_url(
            app.config["REDIS_URL"], socket_timeout=2, socket_connect_timeout=2
        )

    @property
    def client(self) -> redis.Redis:
        return current_app.extensions["notify.redis"]


class UserTokenKeys:
    """auth's public keys (JWKS), cached, fetched again when a token names an unknown `kid`."""

    def init_app(self, app: Flask) -> None:
        app.extensions["notify.jwks"] = jwt.PyJWKClient(
            app.config["AUTH_JWKS_URL"],
            cache_keys=True,
            lifespan=300,
            timeout=app.config["HTTP_TIMEOUT_SECONDS"],
        )

    @property
    def client(self) -> jwt.PyJWKClient:
        return current_app.extensions["notify.jwks"]


class PeerClients:
    """The REST clients for auth and orders, with this service's cached service token."""

    def init_app(self, app: Flask) -> None:
        app.extensions["notify.peers"] = Peers(
            auth_url=app.config["AUTH_INTERNAL_URL"],
            orders_url=app.config["ORDERS_INTERNAL_URL"],
            client_id=app.config["SERVICE_CLIENT_ID"],
            client_secret=app.config["SERVICE_CLIENT_SECRET"],
            timeout=app.config["HTTP_TIMEOUT_SECONDS"],
        )

    @property
    def client(self) -> Peers:
        return current_app.extensions["notify.peers"]


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
redis_client = RedisClient()
user_token_keys = UserTokenKeys()
peers = PeerClients()


def celery_init_app(app: Flask) -> Celery:
    """A Celery app configured from the Flask config, whose tasks run in an app context.

    The choices, each on purpose:

    - `task_acks_late` + `task_reject_on_worker_lost`: a message is acknowledged after the task
      returns, and given back to the queue when the process running it dies, so a crash never
      drops an event. The price is that an event can be delivered twice; the handler dedupes.
    - `worker_prefetch_multiplier = 1`: a worker reserves one message at a time, so messages
      are not stranded behind a slow one in a worker that then dies.
    - `task_soft_time_limit` < `task_time_limit`: a hung SMTP or REST call raises inside the task
      at the soft limit and goes down the normal retry path; the hard limit kills a task that
      ignored it, and `task_acks_on_timeout = False` puts that message back rather than drop it.
    - `visibility_timeout`: on Redis an unacknowledged message goes back to the queue once it has
      been reserved this long. A retried event sits reserved in the worker until its countdown
      is over, so the timeout must be longer than the longest countdown plus the time limit, or
      Redis would hand a healthy, waiting event to a second worker. Config checks this at start.
    - `unacked_restore_interval`: how often a worker looks for messages of dead workers whose
      visibility timeout is over (with the throttle at 1, this interval alone decides).
    """

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    config = app.config
    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.config_from_object(
        {
            "broker_url": config["REDIS_URL"],
            "broker_connection_retry_on_startup": True,
            "broker_transport_options": {
                "visibility_timeout": config["NOTIFY_VISIBILITY_TIMEOUT"],
                "unacked_restore_interval": config["NOTIFY_UNACKED_RESTORE_INTERVAL"],
                "unacked_restore_throttle": 1,
            },
            "include": ["notify.tasks"],
            "task_default_queue": config["NOTIFY_QUEUE"],
            "task_routes": {"notify.*": {"queue": config["NOTIFY_QUEUE"]}},
            "task_serializer": "json",
            "accept_content": ["json"],
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "task_acks_on_timeout": False,
            "task_time_limit": config["NOTIFY_TASK_TIME_LIMIT"],
            "task_soft_time_limit": config["NOTIFY_TASK_TIME_LIMIT"] * 0.8,
            "task_publish_retry": True,
            "worker_prefetch_multiplier": 1,
            "worker_hijack_root_logger": False,
            "worker_send_task_events": False,
        }
    )
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
