#!/usr/bin/env python3
"""`make openapi`: write each service's OpenAPI document into contracts/openapi/<service>.json.

    scripts/openapi.py                write every snapshot (after an API change; commit them)
    scripts/openapi.py --check        fail, naming each snapshot that differs from the code
    scripts/openapi.py auth notify    only these services

The snapshots are what the SPA's `npm run check:api` checks its types against, so they must be
exactly what the services serve. Each document comes from the service's own generator, run from
the service's directory with the project's virtualenv (`make openapi` syncs it first):

    auth-flask, notify-flask        python -m <package> openapi PATH
    catalog-django, orders-django   python manage.py spectacular --validate --fail-on-warn ...

Documents are compared as JSON values, so formatting alone never counts as a difference.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bootstrap import ROOT, VENV_PYTHON, say, venv_environ

SNAPSHOT_DIR = ROOT / "contracts" / "openapi"
LISTED = 15  # differences listed per snapshot; the rest are counted

# The Django test settings build their database and Redis addresses without connecting; given
# these, they start no throwaway server either. Generating a schema touches neither.
DJANGO_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.test",
    "DATABASE_URL": "sqlite:///:memory:",
    "TEST_REDIS_URL": "redis://127.0.0.1:9/0",
}


@dataclass(frozen=True)
class Service:
    name: str
    directory: str
    kind: str  # "flask": python -m <package> openapi; "django": manage.py spectacular

    def command(self, path: Path) -> list[str]:
        if self.kind == "flask":
            return [str(VENV_PYTHON), "-m", self.name, "openapi", str(path)]
        return [
            str(VENV_PYTHON), "manage.py", "spectacular", "--format", "openapi-json",
            "--validate", "--fail-on-warn", "--file", str(path),
        ]  # fmt: skip

    def environ(self) -> dict[str, str]:
        return venv_environ() | (DJANGO_ENV if self.kind == "django" else {})


SERVICES = (
    Service(name="auth", directory="services/auth-flask", kind="flask"),
    Service(name="catalog", directory="services/catalog-django", kind="django"),
    Service(name="orders", directory="services/orders-django", kind="django"),
    Service(name="notify", directory="services/notify-flask", kind="flask"),
)


def generate(service: Service, path: Path) -> str | None:
    """Write the service's document to `path`; the generator's output when it failed."""
    result = subprocess.run(
        service.command(path),
        cwd=ROOT / service.directory,
        env=service.environ(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not path.is_file():
        return (result.stdout + result.stderr).strip() or f"exit code {result.returncode}"
    return None


def differences(old: object, new: object, pointer: str = "") -> list[str]:
    """JSON pointers (RFC 6901) of the places where two documents differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(old.keys() | new.keys()):
            child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            if key not in new:
                found.append(f"{child} (only in the snapshot)")
            elif key not in old:
                found.append(f"{child} (only in the code)")
            else:
                found += differences(old[key], new[key], child)
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            place
            for index, (left, right) in enumerate(zip(old, new, strict=True))
            for place in differences(left, right, f"{pointer}/{index}")
        ]
    return [] if old == new else [f"{pointer or '/'} (changed)"]


def compare(service: Service, document_file: Path, *, check: bool) -> bool:
    """Report how the snapshot stands; write it unless checking. True when it is current now."""
    snapshot = SNAPSHOT_DIR / f"{service.name}.json"
    shown = snapshot.relative_to(ROOT)
    if not snapshot.is_file():
        if check:
            print(f"openapi: {shown} is missing")
            return False
        shutil.copyfile(document_file, snapshot)
        print(f"openapi: {shown} created")
        return True
    old = json.loads(snapshot.read_text(encoding="utf-8"))
    changes = differences(old, json.loads(document_file.read_text(encoding="utf-8")))
    if not changes:
        print(f"openapi: {shown} is current")
        return True
    if not check:
        shutil.copyfile(document_file, snapshot)
        print(f"openapi: {shown} written ({len(changes)} place(s) changed)")
        return True
    print(f"openapi: {shown} differs from what {service.directory} generates:")
    for change in changes[:LISTED]:
        print(f"    {change}")
    if len(changes) > LISTED:
        print(f"    ... and {len(changes) - LISTED} more")
    return False


def main() -> int:
    names = [service.name for service in SERVICES]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("services", nargs="*", help=f"some of {', '.join(names)} (default: all)")
    parser.add_argument("--check", action="store_true", help="compare only, write nothing")
    args = parser.parse_args()
    unknown = sorted(set(args.services) - set(names))
    if unknown:
        parser.error(f"unknown service(s) {', '.join(unknown)}; choose from {', '.join(names)}")
    selected = [service for service in SERVICES if service.name in (args.services or names)]
    if not VENV_PYTHON.exists():
        print("openapi: no virtualenv yet; `make openapi` installs it first", file=sys.stderr)
        return 1

    SNAPSHOT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shop-openapi-") as scratch:
        files = [Path(scratch) / f"{service.name}.json" for service in selected]
        with ThreadPoolExecutor(max_workers=len(selected)) as pool:
            errors = list(pool.map(generate, selected, files))
        broken, stale = [], []
        for service, document_file, error in zip(selected, files, errors, strict=True):
            if error:
                print(f"openapi: {service.name}: the generator failed:\n{error}")
                broken.append(service.name)
            elif not compare(service, document_file, check=args.check):
                stale.append(service.name)

    if broken:
        say(f"could not generate the OpenAPI document of {', '.join(broken)} (output above)")
    if stale:
        say(f"out of date: {', '.join(stale)}; run `make openapi` and commit contracts/openapi/")
    return 1 if broken or stale else 0


if __name__ == "__main__":
    sys.exit(main())
