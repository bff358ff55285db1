"""Finding server binaries, and saying exactly what to install when one is missing."""

import glob
import os
import shutil
import subprocess
from pathlib import Path

# Where Debian and Ubuntu keep PostgreSQL's server binaries outside PATH.
_EXTRA_DIRS = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)


class MissingBinaryError(RuntimeError):
    """A server binary the tests need is not installed."""


def _find(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for directory in _EXTRA_DIRS:
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def _may_install() -> bool:
    is_debian = Path("/etc/debian_version").exists()
    is_root = os.geteuid() == 0
    wanted = os.environ.get("CI") == "true" or os.environ.get("TESTENV_INSTALL") == "1"
    return is_debian and is_root and wanted and shutil.which("apt-get") is not None


def require_binary(name: str, *, debian_package: str) -> str:
    """Return the path of `name`, installing `debian_package` with apt where that is allowed."""
    found = _find(name)
    if found:
        return found
    if _may_install():
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", debian_package], check=True, env=env)
        found = _find(name)
        if found:
            return found
    raise MissingBinaryError(
        f"'{name}' is not installed. Install it with: sudo apt-get install -y {debian_package}"
        f" (macOS: brew install {_brew_name(debian_package)})"
    )


def _brew_name(debian_package: str) -> str:
    return {"postgresql": "postgresql@15", "redis-server": "redis"}.get(
        debian_package, debian_package
    )
