#!/usr/bin/env python3
"""`make test` / `make check`: lint, contracts, the SPA, then every suite on throwaway servers.

    scripts/test.py                  everything, as CI runs it
    scripts/test.py e2e gateway      only these suites (lint still runs unless --no-lint)
    scripts/test.py lint             only the linters
    scripts/test.py frontend         only the SPA's checks (and lint)

Steps: `uv sync --frozen`; ruff check and ruff format --check; `contracts`: the OpenAPI snapshots
in contracts/openapi/ match what the services generate (scripts/openapi.py --check); `frontend`:
`npm ci` when node_modules is missing or older than package-lock.json, then the SPA's lint, type
check, lock-file check, Vitest, API-type check against the snapshots and production build (which
the end-to-end tests serve); then ONE `python -m testenv run -- ...` (a private PostgreSQL and
Redis on free ports, removed afterwards) runs each library's and service's pytest suite from its
own directory, the gateway configuration tests, the deployment contract tests, the end-to-end
tests through the gateway, the load tests (their SLO check and a few seconds of every Locust
journey against a fresh stack) and the browser tests (scripts/browser_tests.py), each in its own
process. Every step runs even when an earlier one failed, so one run shows everything; the exit
code is non-zero if any failed.
"""

import argparse
import json
import re
import shutil
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

FRONTEND = ROOT / "frontend"
# The SPA's npm scripts, in order; check:lock only where package.json has it.
FRONTEND_SCRIPTS = (
    "lint",
    "typecheck",
    "typecheck:e2e",
    "check:lock",
    "test",
    "check:api",
    "build",
)
FRONTEND_OPTIONAL = {"check:lock", "typecheck:e2e"}
# Suites that run before the throwaway servers start, because they need none.
OUTSIDE_SUITES = ("contracts", "frontend")


@dataclass(frozen=True)
class Suite:
    name: str
    directory: Path
    paths: tuple[str, ...] = ()
    command: tuple[str, ...] = ()  # a runner that writes JUnit XML to --junitxml=; pytest if empty


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
    """Each library and service with a tests/ folder, the gateway, end to end, the browser."""
    found = [
        Suite(name=directory.name, directory=directory)
        for parent in ("libs", "services")
        for directory in sorted((ROOT / parent).iterdir())
        if (directory / "tests").is_dir() and (directory / "pyproject.toml").is_file()
    ]
    found.append(Suite(name="gateway", directory=ROOT, paths=("deploy/gateway/tests",)))
    found.append(Suite(name="deploy", directory=ROOT, paths=("tests/deploy",)))
    found.append(Suite(name="e2e", directory=ROOT, paths=("tests/e2e",)))
    # The SLO check's rules, and a few seconds of every Locust journey against a fresh stack.
    found.append(Suite(name="loadtest-smoke", directory=ROOT, paths=("loadtests/tests",)))
    found.append(
        Suite(
            name="browser",
            directory=ROOT,
            command=(str(VENV_PYTHON), "scripts/browser_tests.py"),
        )
    )
    return found


def run_step(name: str, command: list[str], **kwargs: object) -> Result:
    say(f"{name}: {' '.join(command)}")
    started = time.monotonic()
    returncode = subprocess.run(command, check=False, **kwargs).returncode  # type: ignore[arg-type]
    return Result(name=name, ok=returncode == 0, seconds=time.monotonic() - started)


def run_step_teed(name: str, command: list[str], **kwargs: object) -> tuple[Result, str]:
    """run_step that also keeps the output (shown as it comes) for reading counts from it."""
    say(f"{name}: {' '.join(command)}")
    started = time.monotonic()
    kept = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs
    ) as process:  # type: ignore[call-overload]
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            kept.append(line)
    result = Result(name=name, ok=process.returncode == 0, seconds=time.monotonic() - started)
    return result, "".join(kept)


def contracts(env: dict[str, str]) -> list[Result]:
    """The OpenAPI snapshots the SPA is checked against are what the services generate."""
    print(f"\n{'=' * 30} contracts {'=' * 30}", flush=True)
    command = [str(VENV_PYTHON), str(ROOT / "scripts" / "openapi.py"), "--check"]
    result = run_step("contracts: openapi", command, cwd=ROOT, env=env)
    if not result.ok:
        result.note = "run `make openapi` and commit contracts/openapi/"
    return [result]


def node_problem() -> str | None:
    """Why the SPA's tools cannot run here (with how to fix it), or None when they can."""
    engines = json.loads((FRONTEND / "package.json").read_text())["engines"]["node"]
    minimum = tuple(int(part) for part in re.findall(r"\d+", engines)[:2])
    wanted = f"Node.js 20 ({'.'.join(map(str, minimum))} or newer) with npm"
    where = (
        "from https://nodejs.org/ or NodeSource's Debian packages (deb.nodesource.com; their"
        " `nodejs` includes npm). Debian bookworm's own nodejs is 18, too old"
    )
    node = shutil.which("node")
    if node is None:
        return f"node is not installed: the SPA needs {wanted}. Install it {where}."
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    found = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if found < minimum:
        return f"node is {version}: the SPA needs {wanted}. Install it {where}."
    if shutil.which("npm") is None:
        return (
            f"npm is missing (node {version} is here): it comes with Node.js from nodejs.org and"
            " with NodeSource's `nodejs` package; reinstall Node 20 from there (Debian's own"
            " `npm` package is built for Debian's Node 18)."
        )
    return None


def node_modules_current() -> bool:
    """npm rewrites node_modules/.package-lock.json on every install: newer than the lock file
    means node_modules holds what the lock file says."""
    installed = FRONTEND / "node_modules" / ".package-lock.json"
    lock = FRONTEND / "package-lock.json"
    return installed.is_file() and installed.stat().st_mtime >= lock.stat().st_mtime


def vitest_counts(output: str) -> tuple[int, int, int]:
    """(passed, failed, skipped) from Vitest's summary line `Tests  2 failed | 67 passed (69)`."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    lines = re.findall(r"^\s*Tests\s+(.*\(\d+\))\s*$", plain, flags=re.MULTILINE)
    if not lines:
        return 0, 0, 0
    counts = {word: int(number) for number, word in re.findall(r"(\d+) (\w+)", lines[-1])}
    skipped = counts.get("skipped", 0) + counts.get("todo", 0)
    return counts.get("passed", 0), counts.get("failed", 0), skipped


def frontend(env: dict[str, str]) -> list[Result]:
    """The SPA: install from the lock file when needed, then each npm script; all must pass."""
    print(f"\n{'=' * 30} frontend {'=' * 30}", flush=True)
    problem = node_problem()
    if problem:
        print(f"frontend: {problem}", file=sys.stderr, flush=True)
        return [Result(name="frontend", ok=False, seconds=0.0, note=problem)]
    npm = shutil.which("npm") or "npm"
    results = []
    if not node_modules_current():
        results.append(run_step("frontend: npm ci", [npm, "ci"], cwd=FRONTEND, env=env))
        if not results[-1].ok:
            results[-1].note = "nothing else of the SPA can run"
            return results
    defined = json.loads((FRONTEND / "package.json").read_text()).get("scripts", {})
    for script in FRONTEND_SCRIPTS:
        if script in FRONTEND_OPTIONAL and script not in defined:
            continue
        name = f"frontend: {script}"
        if script == "test":
            result, output = run_step_teed(name, [npm, "test"], cwd=FRONTEND, env=env)
            result.passed, result.failed, result.skipped = vitest_counts(output)
        else:
            result = run_step(name, [npm, "run", script], cwd=FRONTEND, env=env)
        results.append(result)
    return results


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
    runner = suite.command or (str(VENV_PYTHON), "-m", "pytest", *suite.paths)
    command = [*runner, f"--junitxml={report}"]
    print(f"\n{'=' * 30} {suite.name} {'=' * 30}", flush=True)
    result = run_step(suite.name, command, cwd=suite.directory, env=env)
    if report.exists():
        result.passed, result.failed, result.skipped = junit_counts(report)
    if result.ok and result.passed == 0:
        result.ok, result.note = False, "no test ran"
    elif not result.ok and not report.exists():
        result.note = "the test runner did not finish"
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
    parser.add_argument(
        "suites", nargs="*", help="lint, contracts, frontend, a service folder name, gateway, e2e"
    )
    parser.add_argument("--no-lint", action="store_true", help="skip ruff")
    parser.add_argument("--inside", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return inside(args.suites, args.inside)

    known = {suite.name for suite in suites()} | {"lint", *OUTSIDE_SUITES}
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
    if not args.suites or "contracts" in args.suites:
        results += contracts(env)
    if not args.suites or "frontend" in args.suites:
        results += frontend(env)
    wanted = [name for name in args.suites if name not in ("lint", *OUTSIDE_SUITES)]
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
