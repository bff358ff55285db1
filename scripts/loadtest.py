#!/usr/bin/env python3
"""`make loadtest`, `make loadtest-ui`: the Locust journeys of loadtests/ against a running shop.

    scripts/loadtest.py                          headless, bounded, SLOs checked (make loadtest)
    scripts/loadtest.py --ui                     Locust's web UI on :8089 (make loadtest-ui)
    scripts/loadtest.py --smoke                  a shop of its own on throwaway servers, a few
                                                 users for seconds; any error fails it
    scripts/loadtest.py --serve                  `make dev` with the limits a load test needs
    scripts/loadtest.py --reset-stock            the stock back to what it was before
    scripts/loadtest.py -u 200 -t 5m -- --tags x everything after -- goes to Locust as is

The address is --host, else LOCUST_HOST, else http://localhost:8080 (`make dev`). Users, spawn
rate and run time are -u/-r/-t, else LOCUST_USERS, LOCUST_SPAWN_RATE and LOCUST_RUN_TIME, else
50, 10 and 1m. A headless run writes Locust's HTML report, its CSV files, its log and the SLO
verdict into reports/loadtest/<time>/ and exits with Locust's code: 0 when every SLO in
loadtests/slo.toml holds, 1 when one is broken or a request failed, 2 when the run could not
start (the shop unreachable, the admin login refused).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bootstrap
from bootstrap import ROOT, VENV_BIN, VENV_PYTHON, say

LOADTESTS = ROOT / "loadtests"
LOCUSTFILE = LOADTESTS / "locustfile.py"
REPORTS = ROOT / "reports" / "loadtest"
DEFAULT_HOST = "http://localhost:8080"
DEFAULTS = {"users": ("LOCUST_USERS", "50"), "spawn_rate": ("LOCUST_SPAWN_RATE", "10")}
DEFAULT_RUN_TIME = ("LOCUST_RUN_TIME", "1m")

# The smoke run: every kind of visitor at once, barely pausing, for seconds. It checks that
# every journey works end to end through the real stack, not how fast (the machine running
# `make test` is busy with other things), so its SLO file only asks for no failures and for
# each journey to have happened.
SMOKE = {
    "users": "6",
    "spawn_rate": "6",
    "run_time": "12s",
    "env": {
        "LOADTEST_BROWSER_WEIGHT": "2",
        "LOADTEST_SHOPPER_WEIGHT": "3",
        "LOADTEST_ADMIN_WEIGHT": "1",
        "LOADTEST_THINK_MIN": "0.05",
        "LOADTEST_THINK_MAX": "0.2",
        "LOADTEST_STOCK_LEVEL": "1000",
        "LOADTEST_SLO_FILE": str(LOADTESTS / "slo-smoke.toml"),
    },
}


def in_virtualenv() -> bool:
    return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--ui", action="store_true", help="start Locust's web UI instead")
    mode.add_argument("--smoke", action="store_true", help="a short run on a stack of its own")
    mode.add_argument("--serve", action="store_true", help="run make dev with load-test limits")
    mode.add_argument("--reset-stock", action="store_true", help="restore the stock levels")
    parser.add_argument("--host", help=f"the shop's address (default {DEFAULT_HOST})")
    parser.add_argument("-u", "--users", help="peak number of concurrent visitors")
    parser.add_argument("-r", "--spawn-rate", help="visitors started per second")
    parser.add_argument("-t", "--run-time", help="how long a headless run lasts (30s, 5m)")
    parser.add_argument("--report-dir", type=Path, help="where the report goes")
    return parser.parse_args(argv), extra


def report_dir(args: argparse.Namespace, suffix: str = "") -> Path:
    if args.report_dir:
        return args.report_dir.resolve()
    return REPORTS / (time.strftime("%Y%m%d-%H%M%S") + suffix)


def locust_command(
    args: argparse.Namespace, host: str, folder: Path | None, *, headless: bool
) -> list[str]:
    command = [str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--host", host]
    if headless:
        users = args.users or os.environ.get(DEFAULTS["users"][0]) or DEFAULTS["users"][1]
        rate = args.spawn_rate or os.environ.get(DEFAULTS["spawn_rate"][0])
        run_time = args.run_time or os.environ.get(DEFAULT_RUN_TIME[0]) or DEFAULT_RUN_TIME[1]
        command += [
            "--headless",
            "--users", users,
            "--spawn-rate", rate or DEFAULTS["spawn_rate"][1],
            "--run-time", run_time,
            # Users finish the request they are in before the run stops, so none is cut off
            # half-way and counted as a failure.
            "--stop-timeout", "10",
            "--only-summary",
        ]  # fmt: skip
    else:
        # The UI lets the mix be chosen per run, on top of the LOADTEST_*_WEIGHT defaults.
        command.append("--class-picker")
        for flag, value in (("--users", args.users), ("--spawn-rate", args.spawn_rate)):
            if value:
                command += [flag, value]
    if folder is not None:
        command += [
            "--csv", str(folder / "locust"),
            "--html", str(folder / "report.html"),
            "--logfile", str(folder / "locust.log"),
        ]  # fmt: skip
    return command


def run_locust(command: list[str], env: dict[str, str], folder: Path | None) -> int:
    import subprocess

    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "command.txt").write_text(" ".join(command) + "\n")
    say(" ".join(command))
    returncode = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    if folder is None:  # the web UI: the person watching it is the judge
        return returncode
    say(f"report: {folder / 'report.html'} (CSV files and the SLO verdict next to it)")
    outcome = {0: "passed", 1: "FAILED: an SLO is broken or requests failed", 2: "did not start"}
    say(f"load test {outcome.get(returncode, f'ended with exit code {returncode}')}")
    return returncode


def prepare_stock(host: str, env: dict[str, str]) -> bool:
    """Raise the stock before Locust starts, so the run's clock measures traffic only.

    Locust's own start would do it too (for runs started with `locust` directly); it is told
    not to. False when the shop cannot be prepared; the message says why.
    """
    sys.path.insert(0, str(LOADTESTS))
    from shopload import catalog as shop
    from shopload.settings import LoadSettings, SettingsError

    try:
        settings = LoadSettings.from_environ_of(env)
    except SettingsError as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return False
    env["LOADTEST_PREPARE_STOCK"] = "0"
    if not settings.prepare_stock:
        return True
    started = time.monotonic()
    try:
        admin = shop.Admin(host, settings.admin_email, settings.admin_password)
        change = shop.stock_prepare(admin, settings.stock_level, shop.baseline_path(REPORTS, host))
    except (shop.ShopError, OSError) as error:
        print(f"loadtest: cannot prepare the shop at {host}: {error}", file=sys.stderr)
        return False
    say(
        f"stock: {change.raised} products raised to {settings.stock_level} free units, "
        f"{change.already} had enough ({time.monotonic() - started:.1f}s)"
    )
    return True


def smoke(args: argparse.Namespace, extra: list[str]) -> int:
    """A shop of its own, as the end-to-end tests start it, and a short run against it."""
    sys.path.insert(0, str(LOADTESTS))
    from shopload.stack import LocalStack, StackError

    started = time.monotonic()
    folder = report_dir(args, "-smoke")
    folder.mkdir(parents=True, exist_ok=True)
    stack = LocalStack(database_prefix="loadtest_smoke")
    try:
        say("smoke: starting the shop on throwaway PostgreSQL and Redis")
        try:
            stack.start()
        except StackError as error:
            print(f"loadtest: {error}", file=sys.stderr)
            return 2
        say(f"smoke: the shop is ready at {stack.url} ({stack.started_seconds:.0f}s)")
        args.users = args.users or SMOKE["users"]
        args.spawn_rate = args.spawn_rate or SMOKE["spawn_rate"]
        args.run_time = args.run_time or SMOKE["run_time"]
        env = {**bootstrap.venv_environ(), **SMOKE["env"], "LOADTEST_REPORT_DIR": str(folder)}
        if not prepare_stock(stack.url, env):
            return 2
        command = locust_command(args, stack.url, folder, headless=True) + extra
        returncode = run_locust(command, env, folder)
        if returncode != 0:
            print(f"loadtest: the end of the shop's output:\n{stack.logs(40)}", file=sys.stderr)
        return returncode
    finally:
        stack.remove()
        say(f"smoke: took {time.monotonic() - started:.0f}s")


def serve() -> int:
    """`make dev` as is, with the limits a load test must raise (loadtests/README.md)."""
    sys.path.insert(0, str(LOADTESTS))
    from shopload.settings import LOAD_TEST_SETTINGS

    say("make dev with " + " ".join(f"{k}={v!r}" for k, v in LOAD_TEST_SETTINGS.items()))
    env = {**os.environ, **LOAD_TEST_SETTINGS}
    os.execve(sys.executable, [sys.executable, str(ROOT / "scripts" / "dev.py")], env)  # noqa: S606
    return 127  # not reached


def reset_stock(host: str) -> int:
    sys.path.insert(0, str(LOADTESTS))
    from shopload import catalog as shop
    from shopload.settings import LoadSettings

    settings = LoadSettings.from_environ()
    try:
        admin = shop.Admin(host, settings.admin_email, settings.admin_password)
        restored = shop.stock_restore(admin, shop.baseline_path(REPORTS, host))
    except (shop.ShopError, OSError) as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 1
    say(f"the free stock of {restored} products is back to its level before the load tests")
    return 0


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so a smoke run's throwaway servers are still removed."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def main(argv: list[str]) -> int:
    args, extra = parse(argv)
    stop_on_sigterm()
    if args.serve:
        return serve()
    if not in_virtualenv():
        # Locust and the shared modules live in the project's virtualenv: continue there.
        say("syncing the virtualenv (uv sync --frozen)")
        bootstrap.sync()
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), str(Path(__file__).resolve()), *argv])  # noqa: S606
    if args.smoke:
        return smoke(args, extra)
    host = (args.host or os.environ.get("LOCUST_HOST") or DEFAULT_HOST).rstrip("/")
    if args.reset_stock:
        return reset_stock(host)
    env = bootstrap.venv_environ()
    if args.ui:
        say("Locust's web UI: http://localhost:8089 (Ctrl-C stops it)")
        return run_locust(locust_command(args, host, None, headless=False) + extra, env, None)
    folder = report_dir(args)
    env["LOADTEST_REPORT_DIR"] = str(folder)
    if not prepare_stock(host, env):
        return 2
    return run_locust(locust_command(args, host, folder, headless=True) + extra, env, folder)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except bootstrap.BootstrapError as error:
        print(f"loadtest: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
