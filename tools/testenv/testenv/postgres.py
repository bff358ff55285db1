"""A throwaway PostgreSQL cluster made with initdb and run with pg_ctl."""

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from testenv.binaries import require_binary
from testenv.ports import free_port, wait_for_port


class PostgresServer:
    """One private cluster: trust auth on loopback, superuser `postgres`, fsync off."""

    def __init__(self, *, port: int | None = None) -> None:
        self.port = port or free_port()
        self.initdb = require_binary("initdb", debian_package="postgresql")
        self.pg_ctl = require_binary("pg_ctl", debian_package="postgresql")
        self.root = Path(tempfile.mkdtemp(prefix="testenv-pg-"))
        self.data_dir = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.socket_dir.mkdir()
        self._initialised = False

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _run_as_owner(self, args: list[str]) -> None:
        # PostgreSQL refuses to run as root; drop to the owner of the data directory.
        subprocess.run(_as_unprivileged(args, self.root), check=True, capture_output=True)

    def start(self) -> "PostgresServer":
        if not self._initialised:
            _chown_for_unprivileged(self.root)
            self._run_as_owner(
                [
                    self.initdb,
                    "-D",
                    str(self.data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            )
            self._initialised = True
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=300"
        )
        self._run_as_owner(
            [
                self.pg_ctl,
                "-D",
                str(self.data_dir),
                "-o",
                options,
                "-l",
                str(self.root / "server.log"),
                "-w",
                "start",
            ]
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.data_dir.exists() and (self.data_dir / "postmaster.pid").exists():
            self._run_as_owner([self.pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _unprivileged_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for user in ("postgres", "nobody"):
        if shutil.which("runuser") and _user_exists(user):
            return user
    return None


def _user_exists(user: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def _chown_for_unprivileged(root: Path) -> None:
    user = _unprivileged_user()
    if user:
        shutil.chown(root, user=user)
        for child in root.iterdir():
            shutil.chown(child, user=user)


def _as_unprivileged(args: list[str], root: Path) -> list[str]:
    user = _unprivileged_user()
    return ["runuser", "-u", user, "--", *args] if user else args


_shared: PostgresServer | None = None
_lock = threading.Lock()


def postgres_url(database: str) -> str:
    """URL of `database` on the run's server: TEST_POSTGRES_URL's, else a private one."""
    given = os.environ.get("TEST_POSTGRES_URL")
    if given:
        parts = urlsplit(given)
        return urlunsplit(parts._replace(path=f"/{database}"))
    global _shared
    with _lock:
        if _shared is None:
            _shared = PostgresServer().start()
            atexit.register(_shared.remove)
            os.environ["TEST_POSTGRES_URL"] = _shared.url
    return _shared.database_url(database)
