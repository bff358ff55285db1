#!/usr/bin/env python3
"""`make compose-smoke`: build every image, run the compose stack, buy something, stop it.

On a machine without a Docker engine, compose-sandbox (COMPOSE_SANDBOX, see its README) builds
the images and runs deploy/compose/compose.yaml with podman and local stand-ins of the official
base images. Steps:

1. `compose-sandbox setup` (seconds once it has run on this machine), and deploy/compose/.env,
   created from .env.example when missing (as `make up` does);
2. the checks that need no container: tests/deploy (hadolint on every Dockerfile, the Compose
   Specification, compose against make dev and the docs), and the compose file as the compose
   tool reads it (`config`);
3. `build`, timed, then the size of every image;
4. `compose-sandbox smoke --keep`: up, then wait until the gateway serves the SPA, every API is
   ready through it and Mailpit answers; every container must be running or healthy, and every
   one-shot job must have exited 0. The time this takes is "time to healthy";
5. the journey a customer makes, through http://127.0.0.1:<GATEWAY_PORT> only: register, add a
   product to the cart, check out with the card 4242424242424242, and find the order's
   confirmation e-mail in Mailpit;
6. `down -v`, whatever happened.

The project is named shop-smoke, so its containers and volumes never touch a `make up` stack's.
Exits non-zero when any step fails. Standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compose_stack
from compose_stack import COMPOSE_FILE, ROOT, say

PROJECT = "shop-smoke"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PAYING_CARD = "4242424242424242"
MAIL_TIMEOUT_SECONDS = 90


class SmokeError(RuntimeError):
    """A step failed; the message says which and why."""


# --- talking to the stack ------------------------------------------------------------------


def http(
    method: str, url: str, body: object = None, headers: dict[str, str] | None = None
) -> tuple[int, object]:
    """(status, parsed JSON body or None); HTTP errors are answers, not exceptions."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (our stack)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, None


def expect(status: int, wanted: int, what: str, payload: object) -> None:
    if status != wanted:
        raise SmokeError(f"{what}: expected {wanted}, got {status}: {json.dumps(payload)[:500]}")


def journey(shop: str, mailpit: str) -> list[str]:
    """Register, add to cart, check out, find the confirmation e-mail; one line per step."""
    lines = []
    started = time.monotonic()

    def step(message: str) -> None:
        lines.append(f"{time.monotonic() - started:6.2f}s  {message}")
        print(f"  {lines[-1]}", flush=True)

    email = f"smoke-{uuid.uuid4().hex[:12]}@shop.example"
    status, body = http(
        "POST",
        f"{shop}/api/auth/register",
        {"email": email, "password": f"Lantern-{uuid.uuid4().hex[:10]}-Orbit", "name": "Sam Smoke"},
    )
    expect(status, 201, "register", body)
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    step(f"registered {email} (user {body['user']['id']}): 201")

    status, body = http("GET", f"{shop}/api/catalog/products/?in_stock=true&page_size=5")
    expect(status, 200, "product list", body)
    if not body["results"]:
        raise SmokeError("the catalog has no product in stock (did catalog-migrate seed it?)")
    product = body["results"][0]
    step(
        f"catalog: {body['count']} products in stock; picked {product['sku']} at {product['price']}"
    )

    status, body = http(
        "POST", f"{shop}/api/cart/items/", {"product_id": product["id"], "quantity": 2}, auth
    )
    expect(status, 200, "add to cart", body)
    step(f"cart: {body['item_count']} items, subtotal {body['subtotal']} {body['currency']}")

    expiry = f"12/{(datetime.now(UTC).year + 3) % 100:02d}"
    order_body = {
        "shipping_address": {
            "name": "Sam Smoke",
            "line1": "1 Harbour Street",
            "line2": "",
            "city": "Portsmouth",
            "postal_code": "PO1 1AA",
            "country": "GB",
        },
        "payment": {"card_number": PAYING_CARD, "expiry": expiry, "cvc": "123"},
    }
    status, body = http(
        "POST",
        f"{shop}/api/orders/",
        order_body,
        {**auth, "Idempotency-Key": str(uuid.uuid4())},
    )
    expect(status, 201, "checkout", body)
    if body["status"] != "paid":
        raise SmokeError(f"checkout: the order is {body['status']}, not paid")
    number = body["number"]
    step(f"checkout: order {number} {body['status']}, total {body['total']} {body['currency']}")

    deadline = time.monotonic() + MAIL_TIMEOUT_SECONDS
    subjects: list[str] = []
    while time.monotonic() < deadline:
        status, body = http("GET", f"{mailpit}/api/v1/messages")
        if status == 200:
            subjects = [
                message["Subject"]
                for message in body.get("messages", [])
                if any(to.get("Address") == email for to in message.get("To", []))
            ]
            if any(number in subject and "confirmed" in subject for subject in subjects):
                break
        time.sleep(1)
    else:
        raise SmokeError(
            f"no confirmation e-mail for order {number} to {email} in Mailpit after "
            f"{MAIL_TIMEOUT_SECONDS}s; e-mails to that address: {subjects}"
        )
    step(f"Mailpit: {len(subjects)} e-mails to {email}: {'; '.join(sorted(subjects))}")
    return lines


# --- the steps -----------------------------------------------------------------------------


def sandbox_command(sandbox: str, *arguments: str) -> list[str]:
    return [sandbox, *arguments]


def run(command: list[str], what: str, log: Path | None = None) -> float:
    """Run a command (its output to `log` when given); raise SmokeError on failure; seconds."""
    started = time.monotonic()
    if log is None:
        result = subprocess.run(command, cwd=ROOT)
    else:
        with log.open("w") as handle:
            result = subprocess.run(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    took = time.monotonic() - started
    if result.returncode != 0:
        where = f"; its output is in {log}" if log else ""
        raise SmokeError(f"{what} failed (exit {result.returncode}){where}")
    return took


def image_sizes() -> list[tuple[str, str]]:
    """(image, size) of the project's images, as podman reports them."""
    podman = shutil.which("podman")
    if podman is None:
        return []
    result = subprocess.run(
        [podman, "images", "--format", "{{.Repository}}:{{.Tag}}\t{{.Size}}"],
        capture_output=True,
        text=True,
    )
    rows = []
    for line in result.stdout.splitlines():
        name, _, size = line.partition("\t")
        if "/reference-shop/" in name:
            rows.append((name.split("/", 1)[1], size))
    return sorted(rows)


def first_container_start() -> float | None:
    """When the project's first container started (seconds since the epoch), as podman says."""
    podman = shutil.which("podman")
    if podman is None:
        return None
    result = subprocess.run(
        [
            podman,
            "ps",
            "--all",
            "--format",
            "json",
            "--filter",
            f"label=io.podman.compose.project={PROJECT}",
        ],
        capture_output=True,
        text=True,
    )
    started = [c["StartedAt"] for c in json.loads(result.stdout or "[]") if c.get("StartedAt")]
    return min(started) if started else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", required=True, help="the compose-sandbox command")
    parser.add_argument("--timeout", type=int, default=900, help="seconds to wait for health")
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    args = parser.parse_args()

    # A relative path is relative to the repository (the Makefile's default is).
    sandbox = shutil.which(args.sandbox) or str(ROOT / args.sandbox)
    if not Path(sandbox).is_file():
        print(
            f"compose-smoke: {args.sandbox} does not exist; set COMPOSE_SANDBOX to the "
            "compose-sandbox command (see its README)",
            file=sys.stderr,
        )
        return 2
    os.environ["COMPOSE_PROJECT_NAME"] = PROJECT
    logs = ROOT / "reports" / "compose-smoke"
    logs.mkdir(parents=True, exist_ok=True)
    compose = str(COMPOSE_FILE)
    report: list[str] = []
    started = time.monotonic()
    try:
        took = run([sandbox, "setup"], "compose-sandbox setup", logs / "setup.log")
        report.append(f"compose-sandbox setup: {took:.0f}s")
        compose_stack.ensure_env_file()
        settings = compose_stack.read_env_file()
        shop = f"http://127.0.0.1:{settings.get('GATEWAY_PORT', '8080')}"
        mailpit = f"http://127.0.0.1:{settings.get('MAIL_HTTP_PORT', '8025')}"
        say("the compose contract (tests/deploy), hadolint included")
        run(
            [str(VENV_PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/deploy"],
            "tests/deploy",
        )
        run(
            [sandbox, "compose", compose, "config", "--quiet"],
            "compose config",
            logs / "config.log",
        )
        say("compose config: the file is valid")
        say("building every image (output: reports/compose-smoke/build.log)")
        # One service per image: the others name the same image and find it cached.
        images = ["auth", "catalog", "orders", "notify", "gateway"]
        took = run([sandbox, "compose", compose, "build", *images], "build", logs / "build.log")
        report.append(f"build: {took:.0f}s")
        sizes = image_sizes()
        report += [f"image {name}: {size}" for name, size in sizes]

        urls = [
            f"{shop}/",
            *(
                f"{shop}/api/{name}/readyz"
                for name in ("auth", "catalog", "orders", "notifications")
            ),
            f"{mailpit}/api/v1/messages",
        ]
        say("up, and waiting for every container to be healthy")
        took = run(
            [sandbox, "smoke", compose, "--timeout", str(args.timeout), "--keep", *urls],
            "compose-sandbox smoke",
        )
        report.append(f"compose-sandbox smoke (cached rebuild, up, wait): {took:.0f}s")
        first = first_container_start()
        if first is not None:
            healthy = time.time() - first
            report.append(
                f"time to healthy, first container to every URL and check: {healthy:.0f}s"
            )

        say(f"the journey through {shop}")
        report += [f"journey {line}" for line in journey(shop, mailpit)]
    except SmokeError as error:
        print(f"compose-smoke: {error}", file=sys.stderr)
        status = 1
    else:
        status = 0
    finally:
        if not args.keep:
            say("down -v")
            subprocess.run(
                [sandbox, "down", compose, "-v"],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    report.append(f"total: {time.monotonic() - started:.0f}s")
    print("\ncompose-smoke " + ("passed" if status == 0 else "FAILED"))
    print("\n".join(f"  {line}" for line in report), flush=True)
    (logs / "summary.txt").write_text("\n".join(report) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
