"""Fixtures: one fresh PostgreSQL database per run, Redis, signing keys, and an app per test.

PostgreSQL and Redis come from testenv: the servers of `python -m testenv run` when it exports
TEST_POSTGRES_URL / TEST_REDIS_URL, else private throwaway servers for this pytest process.
Tests are isolated by emptying the tables after each test and by giving every app its own Redis
key prefix, so a run never disturbs other users of the same servers. Event tests send to a
private Redis of their own (`broker`), whose queues they read and which they may stop.
"""

import base64
import functools
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import factory
import psycopg2
import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jsonschema import Draft202012Validator, FormatChecker
from werkzeug.test import TestResponse

import testenv
from auth import create_app
from auth.config import TestConfig
from auth.extensions import db, redis_client
from auth.keys import generate_private_key, private_key_pem, write_key_file
from auth.models import Role, User
from auth.passwords import password_hash
from auth.tokens import service_token_encode, user_token_encode

PASSWORD = "Quiet-Harbour-Lantern-93"
SERVICE_CLIENT_ID = "orders"
SERVICE_CLIENT_SECRET = "orders-secret-0123456789abcdef"
ISSUER = "https://auth.test"
REPO_DIR = Path(__file__).resolve().parents[3]
# The consumers' copy of the event contracts may live elsewhere (a container's); the repo's
# copy is the default, as for the consumers.
EVENT_CONTRACTS_DIR = Path(
    os.environ.get("EVENT_CONTRACTS_DIR") or REPO_DIR / "contracts" / "events"
)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A database of our own on the run's PostgreSQL server, dropped at the end."""
    name = f"auth_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(testenv.postgres_url("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield testenv.postgres_url(name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def session_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The signing key most tests share (generating RSA keys takes a moment)."""
    path = tmp_path_factory.mktemp("keys") / "current.pem"
    write_key_file(path, private_key_pem(generate_private_key()))
    return path


@pytest.fixture(scope="session")
def base_environ(database_url: str, session_keys: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": testenv.redis_url(0),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "JWT_ISSUER": ISSUER,
        "JWT_PRIVATE_KEY_FILE": str(session_keys),
        "JWT_PREVIOUS_KEY_FILE": str(session_keys.with_name("previous.pem")),
        "SERVICE_CLIENTS": (
            f"{SERVICE_CLIENT_ID}:{SERVICE_CLIENT_SECRET},catalog:catalog-secret-0123456789"
        ),
        "COOKIE_SECURE": "false",
        "TRUSTED_PROXY_COUNT": "0",
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


TABLES = ("outbox_events", "refresh_tokens", "refresh_token_families", "users")


@pytest.fixture(autouse=True)
def _empty_tables(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "migrated_engine" in request.fixturenames:
        engine = request.getfixturevalue("migrated_engine")
        with engine.begin() as connection:
            connection.execute(sa.text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY"))


@pytest.fixture
def make_app(
    base_environ: dict[str, str], migrated_engine: sa.Engine
) -> Iterator[Callable[..., Flask]]:
    """Build apps from the test environment with some variables overridden."""
    apps: list[Flask] = []

    def build(**overrides: str) -> Flask:
        app = create_app(TestConfig({**base_environ, **overrides}))
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
            _delete_redis_keys(redis_client.client, app.config["REDIS_KEY_PREFIX"])
        app.extensions["auth.celery"].close()


def _delete_redis_keys(client: redis.Redis, prefix: str) -> None:
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # an app pointed at a Redis that is down on purpose
    finally:
        client.close()


@pytest.fixture(scope="session")
def stopped_postgres() -> Iterator[testenv.PostgresServer]:
    """A PostgreSQL server that existed and is now down, as in an outage."""
    server = testenv.PostgresServer().start()
    server.stop()
    yield server
    server.remove()


@pytest.fixture
def stopped_postgres_app(make_app: Callable[..., Flask], stopped_postgres) -> Flask:
    return make_app(DATABASE_URL=stopped_postgres.database_url("postgres"))


@pytest.fixture
def unused_redis_url() -> str:
    """A Redis URL on a port where nothing listens."""
    return f"redis://127.0.0.1:{testenv.free_port()}/0"


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The app, with an app context pushed for factories and direct database checks."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class UserFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    class Params:
        password = PASSWORD

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    role = Role.CUSTOMER.value
    password_hash = factory.LazyAttribute(lambda user: password_hash(user.password))


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    return UserFactory.create


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user(email="ada@example.com", name="Ada Lovelace")


@pytest.fixture
def user_token(app: Flask, user: User) -> str:
    return user_token_encode(user_id=user.id, roles=user.roles).token


@pytest.fixture
def service_token(app: Flask) -> str:
    return service_token_encode(client_id=SERVICE_CLIENT_ID).token


@pytest.fixture
def password() -> str:
    """The password of every factory-made user."""
    return PASSWORD


@pytest.fixture
def bearer() -> Callable[[str], dict[str, str]]:
    return lambda token: {"Authorization": f"Bearer {token}"}


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., TestResponse]:
    def post(email: str, password: str = PASSWORD, **kwargs: Any) -> TestResponse:
        return client.post("/api/auth/login", json={"email": email, "password": password}, **kwargs)

    return post


@pytest.fixture
def service_credentials() -> dict[str, str]:
    return {"client_id": SERVICE_CLIENT_ID, "client_secret": SERVICE_CLIENT_SECRET}


@pytest.fixture
def key_files(tmp_path: Path, session_keys: Path) -> tuple[Path, Path]:
    """Key files this test may rotate: a copy of the shared key and a previous path."""
    current = tmp_path / "current.pem"
    shutil.copy(session_keys, current)
    return current, tmp_path / "previous.pem"


# -- events -----------------------------------------------------------------------------------


@functools.cache
def _contract_validator(name: str) -> Draft202012Validator:
    schema = json.loads((EVENT_CONTRACTS_DIR / name).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.fixture
def assert_valid_event() -> Callable[[dict[str, Any]], None]:
    """Check an envelope and its data against contracts/events; raises naming what is wrong."""

    def check(envelope: dict[str, Any]) -> None:
        _contract_validator("envelope.schema.json").validate(envelope)
        data_schema = f"{envelope['type']}.v{envelope['version']}.schema.json"
        _contract_validator(data_schema).validate(envelope["data"])

    return check


@pytest.fixture(scope="session")
def broker_server() -> Iterator[testenv.RedisServer]:
    """A private Redis for the event queues, so tests can read them whole and stop it."""
    with testenv.RedisServer() as server:
        yield server


@pytest.fixture
def broker(broker_server: testenv.RedisServer) -> Iterator[redis.Redis]:
    """A client of the broker, which starts each test running and empty."""
    if broker_server.process is None:
        broker_server.start()
    client = redis.Redis.from_url(broker_server.url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def relay_app(make_app: Callable[..., Flask], broker_server: testenv.RedisServer, broker) -> Flask:
    """The app sending its events to `broker`, with a relay that waits 10 ms when idle."""
    return make_app(
        REDIS_URL=broker_server.url, OUTBOX_IDLE_MS="10", OUTBOX_BACKOFF_MAX_SECONDS="1"
    )


@pytest.fixture
def queued_tasks() -> Callable[[redis.Redis, str], list[tuple[str, list[Any]]]]:
    """(task name, args) of every message on a queue, in the order a worker will take them.

    Read from the Redis list itself, as the consuming worker will: this is the wire contract
    between the relay and the consumers, not a detail of either side's code.
    """

    def read(client: redis.Redis, queue: str) -> list[tuple[str, list[Any]]]:
        tasks = []
        # kombu pushes on the left of the list and workers pop on the right: oldest last.
        for raw in reversed(client.lrange(queue, 0, -1)):
            message = json.loads(raw)
            assert message["content-type"] == "application/json"
            assert message["properties"]["delivery_info"]["routing_key"] == queue
            body = message["body"]
            if message["properties"].get("body_encoding") == "base64":
                body = base64.b64decode(body)
            args, kwargs, _options = json.loads(body)
            assert kwargs == {}
            tasks.append((message["headers"]["task"], args))
        return tasks

    return read
