"""Extensions, created unbound here and bound to an app in `create_app()`.

Keeping them module-level lets models, services and tasks import `db` without importing the app,
and lets tests build as many apps as they like. Celery has no `init_app`; `celery_init_app` makes
one Celery app per Flask app, and the task in `notify.tasks` (a `shared_task`) binds to it.
"""

from celery import Celery, Task
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

# Named constraints make Alembic migrations reproducible across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()


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
