"""The Celery app of the worker: `celery -A notify.celery_app worker -Q notify`.

It is built from the same `create_app()` as the web process, so the worker reads the same
environment, fails on the same missing variables and logs the same JSON lines.
"""

import logging

from celery.signals import setup_logging

from notify import create_app
from notify.logging import configure_logging

flask_app = create_app()
app = flask_app.extensions["celery"]


@setup_logging.connect
def use_json_logs(**_kwargs: object) -> None:
    # Connecting this signal stops Celery from installing its own text log handlers.
    configure_logging(flask_app.config["LOG_LEVEL"])
    # Celery's own per-task lines repeat the task's arguments, i.e. the whole envelope with the
    # customer's e-mail address; notify.tasks logs each outcome (handled, duplicate, retry,
    # dead letter) with the event id instead.
    for name in ("celery.app.trace", "celery.worker.strategy"):
        logging.getLogger(name).setLevel(logging.WARNING)
