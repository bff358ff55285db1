"""Getting from a bare Python to the project's virtualenv: uv, then `uv sync`.

Standard library only, because it runs before the virtualenv exists. Shared by `make dev`
(scripts/dev.py) and `make test` (scripts/test.py).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
VENV_PYTHON = VENV_BIN / "python"

SYNC_ARGS = ("sync", "--frozen", "--all-packages", "--all-groups")


class BootstrapError(RuntimeError):
    """The toolchain cannot be set up; the message says what to install."""


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def uv_command() -> list[str]:
    """How to call uv: from PATH, else as a module; installed with pip when missing."""
    found = shutil.which("uv")
    if found:
        return [found]
    for python in _pythons():
        if _uv_module_works(python):
            return [python, "-m", "uv"]
    say("uv is not installed; installing it with pip")
    attempts = (
        ["install", "--quiet", "uv"],
        ["install", "--quiet", "--user", "uv"],
        # Debian's own python3 refuses user installs without this (PEP 668).
        ["install", "--quiet", "--user", "--break-system-packages", "uv"],
    )
    for arguments in attempts:
        result = subprocess.run([sys.executable, "-m", "pip", *arguments], capture_output=True)
        if result.returncode == 0 and _uv_module_works(sys.executable):
            return [sys.executable, "-m", "uv"]
    raise BootstrapError(
        "could not install uv with pip. Install it yourself (pip install uv, or pipx install uv)"
        " and run this again."
    )


def _pythons() -> list[str]:
    """This interpreter, then the one it was made from when this is the project's virtualenv
    (which uv creates without pip: a script run with .venv/bin/python finds uv there)."""
    base = getattr(sys, "_base_executable", sys.executable)
    return list(dict.fromkeys([sys.executable, base]))


def _uv_module_works(python: str) -> bool:
    result = subprocess.run([python, "-m", "uv", "--version"], capture_output=True)
    return result.returncode == 0


def sync() -> None:
    """Install exactly what uv.lock says into .venv (fast when nothing changed)."""
    command = [*uv_command(), *SYNC_ARGS]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise BootstrapError(f"`{' '.join(command)}` failed (output above)")


def venv_environ(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment with the virtualenv's tools first on PATH."""
    env = dict(os.environ if environ is None else environ)
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", os.defpath)])
    env["VIRTUAL_ENV"] = str(VENV)
    env.pop("PYTHONHOME", None)
    return env


if __name__ == "__main__":
    try:
        say("syncing the virtualenv (uv sync --frozen)")
        sync()
    except BootstrapError as error:
        sys.exit(f"bootstrap: {error}")
