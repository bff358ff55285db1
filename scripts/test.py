#!/usr/bin/env python3
"""`make test` / `make check`: lint, then every test suite on throwaway PostgreSQL and Redis.

    scripts/test.py                  everything, as CI runs it
    scripts/test.py e2e gateway      only these suites (lint still runs unless --no-lint)
    scripts/test.py lint             only the linters

Steps: `uv sync --frozen`; ruff check and ruff format --check; then ONE
`python -m testenv run -- ...` (a private PostgreSQL and Redis on free ports, removed afterwards)
runs each service's pytest suite from its own directory, the gateway configuration tests and the
end-to-end tests through the gateway, each in its own pytest process. Every step runs even when
an earlier one failed, so one run shows everything; the exit code is non-zero if any failed.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bootstrap
from bootstrap import ROOT, VENV_BIN, VENV_PYTHON, say


@dataclass(frozen=True)
class Suite:
    name: str
    directory: Path
    paths: tuple[str, ...] = ()


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    note: str = ""


def suites() -> list[Suite]:
    """Each service with a tests/ folder, then the gateway's tests, then end to end."""
    found = [
        Suite(name=directory.name, directory=directory)
        for directory in sorted((ROOT / "services").iterdir())
        if (directory / "tests").is_dir() and (directory / "pyproject.toml").is_file()
    ]
    found.append(Suite(name="gateway", directory=ROOT, paths=("deploy/gateway/tests",)))
    found.append(Suite(name="e2e", directory=ROOT, paths=("tests/e2e",)))
    return found


def run_step(name: str, command: list[str], **kwargs: object) -> Result:
    say(f"{name}: {' '.join(command)}")
    started = time.monotonic()
    returncode = subprocess.run(command, check=False, **kwargs).returncode  # type: ignore[arg-type]
    return Result(name=name, ok=returncode == 0, seconds=time.monotonic() - started)


def lint(env: dict[str, str]) -> list[Result]:
    ruff = str(VENV_BIN / "ruff")
    return [
        run_step("lint: ruff check", [ruff, "check", "."], cwd=ROOT, env=env),
        run_step("lint: ruff format", [ruff, "format", "--check", "."], cwd=ROOT, env=env),
    ]


def junit_counts(path: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) from a pytest JUnit XML report."""
    root = ElementTree.parse(path).getroot()  # noqa: S314 (written by our own pytest run)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in [root] if root.tag == "testsuite" else root.iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
    failed = totals["failures"] + totals["errors"]
    return totals["tests"] - failed - totals["skipped"], failed, totals["skipped"]


def run_suite(suite: Suite, reports: Path, env: dict[str, str]) -> Result:
    report = reports / f"{suite.name}.xml"
    command = [str(VENV_PYTHON), "-m", "pytest", *suite.paths, f"--junitxml={report}"]
    print(f"\n{'=' * 30} {suite.name} {'=' * 30}", flush=True)
    result = run_step(suite.name, command, cwd=suite.directory, env=env)
    if report.exists():
        result.passed, result.failed, result.skipped = junit_counts(report)
    if result.ok and result.passed == 0:
        result.ok, result.note = False, "no test ran"
    elif not result.ok and not report.exists():
        result.note = "pytest did not finish"
    return result


def inside(names: list[str], report_file: Path) -> int:
    """Runs under testenv: TEST_POSTGRES_URL and TEST_REDIS_URL are set."""
    env = bootstrap.venv_environ()
    selected = [suite for suite in suites() if not names or suite.name in names]
    results = []
    with tempfile.TemporaryDirectory(prefix="shop-junit-") as reports:
        for suite in selected:
            results.append(run_suite(suite, Path(reports), env))
            report_file.write_text(json.dumps([asdict(result) for result in results]))
    return 0 if all(result.ok for result in results) else 1


def print_summary(results: list[Result]) -> None:
    width = max(len(result.name) for result in results)
    print(f"\n{'=' * 30} summary {'=' * 30}")
    for result in results:
        status = "ok" if result.ok else "FAILED"
        counts = ""
        if result.passed or result.failed or result.skipped:
            counts = f"{result.passed} passed, {result.failed} failed"
            counts += f", {result.skipped} skipped" if result.skipped else ""
        note = f"  ({result.note})" if result.note else ""
        print(f"  {result.name.ljust(width)}  {status:6}  {result.seconds:6.1f}s  {counts}{note}")
    passed = sum(result.passed for result in results)
    failed = sum(result.failed for result in results)
    if passed or failed:
        print(f"\ntests: {passed} passed, {failed} failed", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suites", nargs="*", help="lint, a service folder name, gateway, e2e")
    parser.add_argument("--no-lint", action="store_true", help="skip ruff")
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return inside(args.suites, args.inside)

    known = {suite.name for suite in suites()} | {"lint"}
    unknown = sorted(set(args.suites) - known)
    if unknown:
        parser.error(
            f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )

    started = time.monotonic()
    say("syncing the virtualenv (uv sync --frozen)")
    sync_started = time.monotonic()
    try:
        bootstrap.sync()
    except bootstrap.BootstrapError as error:
        print(f"make test: {error}", file=sys.stderr)
        return 1
    results = [Result(name="uv sync", ok=True, seconds=time.monotonic() - sync_started)]
    env = bootstrap.venv_environ()

    if not args.no_lint:
        results += lint(env)
    wanted = [name for name in args.suites if name != "lint"]
    if wanted or not args.suites:
        with tempfile.TemporaryDirectory(prefix="shop-test-") as scratch:
            report_file = Path(scratch) / "results.json"
            command = [
                str(VENV_PYTHON), "-m", "testenv", "run", "--",
                str(VENV_PYTHON), str(Path(__file__).resolve()), "--inside", str(report_file),
                *wanted,
            ]  # fmt: skip
            step = run_step("testenv", command, cwd=ROOT, env=env)
            if report_file.exists():
                results += [Result(**entry) for entry in json.loads(report_file.read_text())]
            if not step.ok and all(result.ok for result in results):
                step.note = "the test servers failed; see the output above"
                results.append(step)

    print_summary(results)
    say(f"took {time.monotonic() - started:.0f}s")
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
