"""Fixtures: a fresh PostgreSQL database per run, Redis, fake peers, a real SMTP server, apps.

PostgreSQL and Redis come from testenv: the servers of `python -m testenv run` when it exports
TEST_POSTGRES_URL / TEST_REDIS_URL, else private throwaway servers for this pytest process.
auth and orders are faked at the HTTP boundary (tests/fakes.py); e-mail goes over real SMTP to
the development mail sink (notify.devsmtp) on a free port. Tests are isolated by emptying the
tables after each test and flushing this service's Redis database.
"""

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pytest
import redis
import sqlalchemy as sa
from celery.contrib.testing.worker import start_worker
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from tests.fakes import ISSUER, SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET, FakePeers

import testenv
from notify import create_app
from notify.config import TestConfig
from notify.devsmtp import DevMailServer
from notify.extensions import db

# notify's own Redis database on the run's server; the other services use others.
REDIS_DB = 4
TABLES = ("notifications", "processed_events", "email_deliveries", "dead_letters")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A database of our own on the run's PostgreSQL server, dropped at the end."""
    name = f"notify_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(testenv.postgres_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield testenv.postgres_url(name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def redis_url() -> str:
    return testenv.redis_url(REDIS_DB)


@pytest.fixture(scope="session")
def peers() -> Iterator[FakePeers]:
    server = FakePeers().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevMailServer]:
    server = DevMailServer(
        tmp_path_factory.mktemp("mail"), smtp_port=testenv.free_port(), http_port=None
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_environ(
    database_url: str, redis_url: str, peers: FakePeers, mail_server: DevMailServer
) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "JWT_ISSUER": ISSUER,
        "AUTH_JWKS_URL": f"{peers.url}/.well-known/jwks.json",
        "AUTH_INTERNAL_URL": peers.url,
        "ORDERS_INTERNAL_URL": peers.url,
        "SERVICE_CLIENT_ID": SERVICE_CLIENT_ID,
        "SERVICE_CLIENT_SECRET": SERVICE_CLIENT_SECRET,
        "HTTP_TIMEOUT_SECONDS": "2",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mail_server.smtp_port),
        "SMTP_FROM": "Reference Shop <shop@shop.test>",
        "SMTP_TIMEOUT_SECONDS": "2",
        "SHOP_BASE_URL": "https://shop.test",
        # Small, so retries and dead letters happen within a test's patience.
        "NOTIFY_MAX_RETRIES": "5",
        "NOTIFY_RETRY_BACKOFF_BASE": "0.1",
        "NOTIFY_RETRY_BACKOFF_MAX": "0.5",
        "NOTIFY_TASK_TIME_LIMIT": "20",
        "NOTIFY_VISIBILITY_TIMEOUT": "60",
        "NOTIFY_UNACKED_RESTORE_INTERVAL": "1",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture(scope="session")
def migrated_engine(base_environ: dict[str, str]) -> Iterator[sa.Engine]:
    """Run the real migrations once; the engine is used to empty tables between tests."""
    app = create_app(TestConfig(base_environ))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    yield engine
    engine.dispose()


@pytest.fixture
def make_app(
    base_environ: dict[str, str],
    migrated_engine: sa.Engine,
    peers: FakePeers,
    mail_server: DevMailServer,
    redis_url: str,
) -> Iterator[Callable[..., Flask]]:
    """Build apps from the test environment with some variables overridden."""
    apps: list[Flask] = []
    peers.reset()
    mail_server.store.clear()
    redis.Redis.from_url(redis_url).flushdb()

    def build(**overrides: str) -> Flask:
        app = create_app(TestConfig({**base_environ, **overrides}))
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    peers.reset()
    if mail_server._smtp is None:
        mail_server.start_smtp()  # a test that took SMTP down and failed before restarting it
    with migrated_engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY"))


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The app, with an app context pushed for services and direct database checks."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def worker(app: Flask) -> Iterator[None]:
    """A real Celery worker (solo pool, in a thread) consuming the `notify` queue on Redis."""
    with start_worker(
        app.extensions["celery"],
        pool="solo",
        perform_ping_check=False,
        loglevel="INFO",
        shutdown_timeout=10,
    ):
        yield


@pytest.fixture
def service_dir() -> Path:
    return Path(__file__).resolve().parent.parent
