"""Operator commands: `flask --app notify dead-letters list | replay ID | replay --all`."""

import click
from flask import Flask
from flask.cli import AppGroup

from notify.services import ReplayRefused, dead_letter_list, dead_letter_replay

dead_letters = AppGroup("dead-letters", help="List and replay events that could not be handled.")


@dead_letters.command("list")
@click.option("--all", "include_replayed", is_flag=True, help="Include replayed dead letters.")
def list_command(include_replayed: bool) -> None:
    """List dead letters, oldest first (only those not replayed yet, unless --all)."""
    letters = dead_letter_list(include_replayed=include_replayed)
    if not letters:
        click.echo("No dead letters.")
        return
    for letter in letters:
        replayed = f"replayed {letter.replayed_at:%Y-%m-%d %H:%M:%S}" if letter.replayed_at else ""
        click.echo(
            f"{letter.id:>5}  {letter.created_at:%Y-%m-%d %H:%M:%S}  "
            f"{letter.event_type or '?':<22} {letter.event_id or '-'}  "
            f"attempts={letter.attempts}  {replayed}".rstrip()
        )
        click.echo(f"       {letter.error.splitlines()[0][:160]}")


@dead_letters.command("replay")
@click.argument("dead_letter_id", type=int, required=False)
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter not replayed.")
@click.option("--force", is_flag=True, help="Replay ID even if it was replayed before.")
def replay_command(dead_letter_id: int | None, replay_all: bool, force: bool) -> None:
    """Put dead-lettered events back on the notify queue (the consumer still deduplicates)."""
    if (dead_letter_id is None) == (not replay_all):
        raise click.UsageError("Give either a dead letter ID or --all.")
    ids = [letter.id for letter in dead_letter_list()] if replay_all else [dead_letter_id]
    for letter_id in ids:
        try:
            letter = dead_letter_replay(dead_letter_id=letter_id, force=force)
        except ReplayRefused as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Replayed dead letter {letter.id} ({letter.event_type} {letter.event_id}).")
    if replay_all:
        click.echo(f"{len(ids)} dead letter(s) replayed.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(dead_letters)
