#!/usr/bin/env python3
"""Run a command in a service's directory with that service's local settings.

    scripts/with_env.py auth-flask gunicorn --config gunicorn.conf.py "auth:create_app()"

`make dev` writes each service's settings (DATABASE_URL, SECRET_KEY, PORT, ...) to
$DATA_DIR/env/<directory>.env; the Procfile starts every service through this script, and a
developer can use it too, e.g. `scripts/with_env.py catalog-django python manage.py shell`.
The command replaces this process, so signals from honcho reach it directly.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    directory, command = argv[0], argv[1:]
    data_dir = Path(os.environ.get("DATA_DIR") or ROOT / ".data")
    env_dir = Path(os.environ.get("SHOP_ENV_DIR") or data_dir / "env")
    env_file = env_dir / f"{directory}.env"
    if not env_file.is_file():
        print(f"{env_file} does not exist; run `make dev` once first.", file=sys.stderr)
        return 2
    env = {**os.environ, **read_env_file(env_file)}
    venv_bin = str(ROOT / ".venv" / "bin")
    if venv_bin not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = os.pathsep.join([venv_bin, env.get("PATH", os.defpath)])
    os.chdir(ROOT / "services" / directory)
    os.execvpe(command[0], command, env)  # noqa: S606 (a command line, no shell involved)
    return 127  # not reached: execvpe replaces the process or raises


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
