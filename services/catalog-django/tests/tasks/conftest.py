"""A real Celery worker for the task tests.

It is Celery's embedded test worker (solo pool, in a thread of this process) consuming
the `catalog` queue on the run's Redis, with the app of config/celery.py. It works on its own
database connection, so tests using it commit for real (`transactional_db`) and see its writes
by querying again.
"""

from collections.abc import Iterator

import pytest
import redis
from celery.contrib.testing.worker import start_worker

from catalog import tasks  # noqa: F401 - registers the tasks with the app
from config.celery import app as celery_app


@pytest.fixture
def worker(broker: redis.Redis, transactional_db: None) -> Iterator[None]:
    with start_worker(
        celery_app,
        pool="solo",
        perform_ping_check=False,
        loglevel="INFO",
        shutdown_timeout=10,
    ):
        yield
