"""The Celery app of catalog-django: the event consumer and the periodic reservation sweep.

    celery -A config worker -Q catalog --concurrency 2 --loglevel INFO   # consumes the queue
    celery -A config beat --loglevel INFO                                # sends the sweep

Both read the same environment as the web process (settings are loaded here, and a missing or
malformed variable stops them with the same one message) and log the same JSON lines
(`LOG_LEVEL` decides the level, not `--loglevel`).

The settings below are chosen on purpose:

- `task_acks_late` + `task_reject_on_worker_lost`: a message is acknowledged only after its task
  returned, and put back on the queue when the process running it dies, so a crash never drops
  an event. The price is that an event can arrive twice; `catalog.events.event_handle`
  deduplicates on the event id in the transaction of the effect.
- `worker_prefetch_multiplier = 1`: each worker process reserves one message at a time, so no
  events wait, reserved, behind a slow one in a process that may then die.
- `task_soft_time_limit` (80 % of `task_time_limit`) raises inside a task, which then goes down
  the normal bounded retry path; the hard limit kills a task that ignored it, and
  `task_acks_on_timeout = False` puts that message back on the queue instead of dropping it.
- `visibility_timeout`: Redis gives an unacknowledged message to another worker once it has
  been out this long (that is how the event of a killed worker comes back). A retried event
  waits, unacknowledged, inside the worker until its countdown is over, so the timeout must be
  longer than the longest countdown plus the time limit, or Redis would hand a healthy waiting
  event to a second worker. The settings refuse to start when that does not hold.
- `unacked_restore_interval` with a throttle of 1: how often a worker looks for messages of
  dead workers whose visibility timeout is over.
- `worker_cancel_long_running_tasks_on_connection_loss`: when the broker connection drops,
  running late-acknowledged tasks stop; their messages are delivered again anyway, so finishing
  them would only race the redelivery.
- JSON only, no result backend: events are data, and nobody waits for a result.
- `beat_scheduler = celery.beat:Scheduler` keeps the schedule in memory: the only entry is a
  sweep every CATALOG_RESERVATION_SWEEP_SECONDS, which needs no memory of its last run, so beat
  writes no schedule file (no volume in containers, no stale file after a crash). Each sweep
  message expires after one interval, so a backlog built while no worker ran collapses into the
  one sweep that is still current. A second beat by mistake is harmless: sweeps skip rows
  another sweep holds.
"""

import logging
import logging.config
import os
import sys

from celery import Celery
from celery.signals import setup_logging
from django.conf import settings

from shopcore.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

try:
    settings.INSTALLED_APPS  # noqa: B018 - loads and checks the settings now
except ConfigurationError as error:
    sys.exit(str(error))

QUEUE = settings.CATALOG_EVENT_QUEUE
SWEEP_SECONDS = settings.CATALOG_RESERVATION_SWEEP_SECONDS

app = Celery("catalog", include=["catalog.tasks"])
app.conf.update(
    broker_url=settings.REDIS_URL,
    broker_connection_retry_on_startup=True,
    broker_transport_options={
        "visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT,
        "unacked_restore_interval": settings.CELERY_UNACKED_RESTORE_INTERVAL,
        "unacked_restore_throttle": 1,
    },
    task_default_queue=QUEUE,
    task_routes={"catalog.*": {"queue": QUEUE}},
    task_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_acks_on_timeout=False,
    task_time_limit=settings.CELERY_TASK_TIME_LIMIT,
    task_soft_time_limit=settings.CELERY_TASK_TIME_LIMIT * 0.8,
    task_publish_retry=True,
    worker_prefetch_multiplier=1,
    worker_cancel_long_running_tasks_on_connection_loss=True,
    worker_hijack_root_logger=False,
    worker_send_task_events=False,
    timezone="UTC",
    beat_scheduler="celery.beat:Scheduler",
    beat_schedule={
        "expire-overdue-reservations": {
            "task": "catalog.expire_reservations",
            "schedule": SWEEP_SECONDS,
            "options": {"queue": QUEUE, "expires": SWEEP_SECONDS},
        },
    },
)


@setup_logging.connect
def log_as_json(**_kwargs: object) -> None:
    # Connecting this signal keeps Celery from installing its own text handlers.
    logging.config.dictConfig(settings.LOGGING)
    # Celery's per-task lines repeat each envelope; catalog.tasks logs every outcome (handled,
    # duplicate, retry, dead letter) with the event id instead. Failures still come through.
    for name in ("celery.app.trace", "celery.worker.strategy"):
        logging.getLogger(name).setLevel(logging.WARNING)
