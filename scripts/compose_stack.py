#!/usr/bin/env python3
"""`make up`, `make down`, `make logs`, `make ps`, `make reset`: the shop under docker compose.

    scripts/compose_stack.py up        build, start, wait until healthy, print the addresses
    scripts/compose_stack.py down      stop and remove the containers (the data stays)
    scripts/compose_stack.py logs [SERVICE ...]   follow the logs
    scripts/compose_stack.py ps        every container with its state and health
    scripts/compose_stack.py reset     `down` and delete the volumes: databases, Redis, JWT key

Before any of them, deploy/compose/.env is created from .env.example when it is missing, with a
fresh random value for every `demo-only-...` secret (see ensure_env_file), so `make up` works
on a fresh clone with no manual step and no two machines share a secret. COMPOSE names the
compose command (default `docker compose`; `podman compose` works too).

Standard library only: it runs with the machine's python3, before any virtualenv exists.
"""

import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_DIR = ROOT / "deploy" / "compose"
COMPOSE_FILE = COMPOSE_DIR / "compose.yaml"
ENV_EXAMPLE = COMPOSE_DIR / ".env.example"
ENV_FILE = COMPOSE_DIR / ".env"
# Values in .env.example that must not be used as they are outside a throwaway demo.
DEMO_PREFIX = "demo-only-"
# How long `up` waits for every container to be healthy before it gives up.
WAIT_TIMEOUT_SECONDS = 600

DEMO_LOGINS = (
    ("admin@shop.example", "Harbour-Lantern-42", "admin: the back office"),
    ("customer@shop.example", "Meadow-Compass-17", "customer"),
)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def fresh_secret() -> str:
    # Hex only: the value also goes into database URLs, where other characters need escaping.
    return secrets.token_hex(32)


def env_file_text(example: str) -> str:
    """.env.example with every demo-only value replaced by a new random one."""
    lines = []
    for line in example.splitlines():
        name, separator, value = line.partition("=")
        if separator and not line.lstrip().startswith("#") and value.startswith(DEMO_PREFIX):
            line = f"{name}={fresh_secret()}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def ensure_env_file(env_file: Path = ENV_FILE, example: Path = ENV_EXAMPLE) -> bool:
    """Create .env from .env.example when missing; True when it was created. Never overwrites."""
    if env_file.exists():
        return False
    env_file.write_text(env_file_text(example.read_text()))
    env_file.chmod(0o600)
    say(f"created {env_file} from .env.example, with new random secrets")
    return True


def read_env_file(env_file: Path = ENV_FILE) -> dict[str, str]:
    """NAME=value lines of an env file (comments and blank lines skipped)."""
    values = {}
    for line in env_file.read_text().splitlines():
        name, separator, value = line.partition("=")
        if separator and not line.lstrip().startswith("#"):
            values[name.strip()] = value.strip()
    return values


def compose_command() -> list[str]:
    return [*shlex.split(os.environ.get("COMPOSE", "docker compose")), "--file", str(COMPOSE_FILE)]


def run(arguments: list[str]) -> int:
    command = [*compose_command(), *arguments]
    try:
        return subprocess.run(command, cwd=ROOT).returncode
    except FileNotFoundError:
        print(
            f"`{command[0]}` is not installed. The Docker quickstart needs Docker with the compose "
            "plugin (https://docs.docker.com/get-docker/); without Docker, `make dev` runs the "
            "same shop as local processes.",
            file=sys.stderr,
        )
        return 127


def print_addresses() -> None:
    settings = read_env_file()
    shop = settings.get("SHOP_BASE_URL", "http://localhost:8080").rstrip("/")
    mail = f"http://localhost:{settings.get('MAIL_HTTP_PORT', '8025')}"
    rows = [
        ("Shop", f"{shop}/"),
        ("E-mails the shop sent (Mailpit)", f"{mail}/"),
        ("Products API", f"{shop}/api/catalog/products/"),
        ("Django admin of the catalog", f"{shop}/api/catalog/django-admin/"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = ["", "The shop is running in Docker.", ""]
    lines += [f"  {label.ljust(width)}  {address}" for label, address in rows]
    lines += ["", "  Demo logins:"]
    lines += [
        f"    {email:<22} password {password:<19} ({role})" for email, password, role in DEMO_LOGINS
    ]
    lines += [
        "",
        "  make logs | make ps | make down (keeps the data) | make reset (deletes it)",
        "",
    ]
    print("\n".join(lines), flush=True)


def main(arguments: list[str]) -> int:
    if not arguments or arguments[0] not in {"up", "down", "logs", "ps", "reset"}:
        print(__doc__, file=sys.stderr)
        return 2
    action, rest = arguments[0], arguments[1:]
    ensure_env_file()
    if action == "up":
        say("building the images and starting the shop (the first build takes a few minutes)")
        status = run(
            ["up", "--build", "--detach", "--wait", "--wait-timeout", str(WAIT_TIMEOUT_SECONDS)]
        )
        if status == 0:
            print_addresses()
        else:
            say("the shop did not come up: `make ps` shows which container, `make logs` why")
        return status
    if action == "down":
        return run(["down", "--remove-orphans"])
    if action == "logs":
        return run(["logs", "--follow", "--tail", "200", *rest])
    if action == "ps":
        return run(["ps", "--all"])
    return run(["down", "--volumes", "--remove-orphans"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
