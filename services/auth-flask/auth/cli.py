"""Commands: `flask --app auth <command>`, run from services/auth-flask.

keys generate PATH      write a new RSA signing key (first start)
keys rotate             previous <- current, new current (paths from the environment)
create-admin --email E  create an administrator (password from --password or a prompt)
seed-demo               the demo administrator and customer (development only; idempotent)
refresh-tokens purge    delete expired refresh tokens
outbox relay [--once]   publish outbox events to the subscribers' queues (long-running)
outbox prune            delete events published more than --older-than-days ago
"""

import signal
import sys
import threading
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from auth import events, services
from auth.errors import ApiError
from auth.keys import (
    MIN_RSA_BITS,
    KeyFileError,
    generate_private_key,
    jwk_thumbprint,
    private_key_pem,
    rotate_key_files,
    write_key_file,
)
from auth.models import Role

# Demo accounts for local development; the service README lists them. Never seed production.
DEMO_USERS = (
    {
        "email": "admin@shop.example",
        "name": "Demo Admin",
        "password": "Harbour-Lantern-42",
        "role": Role.ADMIN,
    },
    {
        "email": "customer@shop.example",
        "name": "Demo Customer",
        "password": "Meadow-Compass-17",
        "role": Role.CUSTOMER,
    },
)

keys_cli = AppGroup("keys", help="Manage the JWT signing keys.")
refresh_tokens_cli = AppGroup("refresh-tokens", help="Maintain stored refresh tokens.")
outbox_cli = AppGroup("outbox", help="Publish and prune the events this service emits.")


@keys_cli.command("generate")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bits", default=MIN_RSA_BITS, show_default=True, type=click.IntRange(MIN_RSA_BITS))
@click.option("--force", is_flag=True, help="Replace an existing key file.")
@click.option("--if-missing", is_flag=True, help="Do nothing when the file already exists.")
def keys_generate(path: Path, bits: int, force: bool, if_missing: bool) -> None:
    """Write a new RSA private key (PEM, mode 0600) to PATH."""
    if path.exists():
        if if_missing:
            click.echo(f"{path} exists; kept it.")
            return
        if not force:
            raise click.ClickException(f"{path} exists; pass --force to replace it.")
    key = generate_private_key(bits=bits)
    write_key_file(path, private_key_pem(key))
    click.echo(f"Wrote {bits}-bit RSA key {jwk_thumbprint(key.public_key())} to {path}.")


@keys_cli.command("rotate")
@click.option("--bits", default=MIN_RSA_BITS, show_default=True, type=click.IntRange(MIN_RSA_BITS))
def keys_rotate(bits: int) -> None:
    """Make the current key the previous one and write a new current key.

    Running workers pick the new files up on their next token; tokens signed with the old key
    verify until they expire, as the JWKS keeps publishing it.
    """
    previous = current_app.config["JWT_PREVIOUS_KEY_FILE"]
    if not previous:
        raise click.ClickException("Set JWT_PREVIOUS_KEY_FILE: the old key must stay published.")
    try:
        old_kid, new_kid = rotate_key_files(
            current_path=current_app.config["JWT_PRIVATE_KEY_FILE"],
            previous_path=previous,
            bits=bits,
        )
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Rotated: {old_kid} is now the previous key, {new_kid} signs from now on.")


def _read_password() -> str:
    """Prompt twice on a terminal; otherwise read one line from stdin (for scripts)."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Administrator", show_default=True)
@click.option(
    "--password",
    help="Prompted for when omitted, or read from stdin when stdin is not a terminal.",
)
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an administrator account."""
    if password is None:
        password = _read_password()
    try:
        user = services.user_create(email=email, password=password, name=name, role=Role.ADMIN)
    except ApiError as exc:
        problems = "; ".join(message for messages in exc.details.values() for message in messages)
        raise click.ClickException(problems or exc.message) from exc
    click.echo(f"Created administrator {user.email} (id {user.id}).")


@click.command("seed-demo")
def seed_demo() -> None:
    """Create the demo administrator and customer unless they exist (development only)."""
    for demo in DEMO_USERS:
        user, created = services.user_ensure(**demo)
        click.echo(f"{'Created' if created else 'Kept'} {user.role} {user.email}.")


@refresh_tokens_cli.command("purge")
def refresh_tokens_purge() -> None:
    """Delete refresh tokens that have expired (safe to run at any time, e.g. daily)."""
    deleted = services.refresh_tokens_purge()
    click.echo(f"Deleted {deleted} expired refresh tokens.")


def _stop_on_signals() -> threading.Event:
    """SIGTERM (an orchestrator stopping us) or Ctrl-C ends the relay after its current pass."""
    stop = threading.Event()

    def _stop(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return stop


@outbox_cli.command("relay")
@click.option("--once", is_flag=True, help="Publish what is waiting, then exit.")
def outbox_relay(once: bool) -> None:
    """Publish unpublished events to each subscriber's Celery queue.

    Runs until stopped, the same in development and in containers; several relays may run side
    by side on PostgreSQL. With --once it exits when the outbox is empty, with status 1 when
    the broker or the database is unavailable.
    """
    if once:
        try:
            published = events.outbox_relay(stop=threading.Event(), once=True)
        except (events.OutboxPublishError, SQLAlchemyError) as exc:
            message = f"Publishing stopped; the events wait in the outbox: {exc}"
            raise click.ClickException(message) from exc
        click.echo(f"Published {published} events.")
        return
    events.outbox_relay(stop=_stop_on_signals())


@outbox_cli.command("prune")
@click.option(
    "--older-than-days",
    default=7,
    show_default=True,
    type=click.IntRange(min=0),
    help="Keep events published more recently than this.",
)
def outbox_prune(older_than_days: int) -> None:
    """Delete published events older than --older-than-days (e.g. daily); unpublished stay."""
    deleted = events.outbox_prune(older_than=timedelta(days=older_than_days))
    click.echo(f"Deleted {deleted} published events.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(keys_cli)
    app.cli.add_command(refresh_tokens_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
