"""A throwaway redis-server on a free port, with append-only persistence in a temp dir."""

import atexit
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from testenv.binaries import require_binary
from testenv.ports import free_port, wait_for_port


class RedisServer:
    """One private Redis; `restart()` keeps its data, as a real restart would."""

    def __init__(self, *, port: int | None = None) -> None:
        self.port = port or free_port()
        self.binary = require_binary("redis-server", debian_package="redis-server")
        self.root = Path(tempfile.mkdtemp(prefix="testenv-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.root),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--maxmemory-policy",
                "noeviction",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self, *, downtime: float = 0.0) -> None:
        self.stop()
        time.sleep(downtime)
        self.start()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.remove()


_shared: RedisServer | None = None
_lock = threading.Lock()


def redis_url(db: int = 0) -> str:
    """URL of database `db` on the run's Redis: TEST_REDIS_URL's, else a private one."""
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        return f"{given.rsplit('/', 1)[0]}/{db}"
    global _shared
    with _lock:
        if _shared is None:
            _shared = RedisServer().start()
            atexit.register(_shared.remove)
            os.environ["TEST_REDIS_URL"] = _shared.url
    return f"redis://127.0.0.1:{_shared.port}/{db}"
