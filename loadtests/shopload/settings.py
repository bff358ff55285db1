"""The load test's own knobs, read from the environment once.

Locust reads its own options from the environment too (LOCUST_HOST, LOCUST_USERS,
LOCUST_SPAWN_RATE, LOCUST_RUN_TIME, ...); these are the ones the shop's journeys add. Every
value is checked here, so a typo stops the run with a message naming the variable instead of
surfacing as odd traffic halfway through.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

LOADTESTS = Path(__file__).resolve().parents[1]

# Test cards of the mock payment provider (services/orders-django/README.md).
CARD_PAYS = "4242424242424242"

DEMO_ADMIN_EMAIL = "admin@shop.example"
DEMO_ADMIN_PASSWORD = "Harbour-Lantern-42"  # noqa: S105 (the documented demo login)

# What a load test needs from the stack it runs against: the gateway and auth-flask limit
# logins and registrations per client address (all virtual users share this machine's), so
# both limits are raised far above what a run asks for. The same variables work for
# `make dev` and compose; loadtests/README.md shows the command line.
LOAD_TEST_SETTINGS = {
    "GATEWAY_LOGIN_RATE": "1000r/s",
    "GATEWAY_LOGIN_BURST": "1000",
    "GATEWAY_REGISTER_RATE": "1000r/s",
    "GATEWAY_REGISTER_BURST": "1000",
    "RATE_LIMIT_LOGIN": "100000 per minute",
    "RATE_LIMIT_REGISTER": "100000 per minute",
}


class SettingsError(ValueError):
    """A LOADTEST_* variable has a value the load test cannot use."""


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float = 0) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum:g}, got {raw!r}")
    return value


def _whole(env: Mapping[str, str], name: str, default: int, *, minimum: int = 0) -> int:
    value = _number(env, name, default, minimum=minimum)
    if value != int(value):
        raise SettingsError(f"{name} must be a whole number, got {value:g}")
    return int(value)


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be 1 or 0 (true or false), got {raw!r}")


@dataclass(frozen=True)
class LoadSettings:
    # The traffic mix: relative numbers of each kind of visitor (Locust's user class weights).
    browser_weight: int
    shopper_weight: int
    admin_weight: int
    # Seconds a visitor spends on a page before the next action (uniformly in between).
    think_min: float
    think_max: float
    # Free units every active product is raised to before a run, so a long run never sells out.
    stock_level: int
    prepare_stock: bool
    admin_email: str
    admin_password: str
    card_number: str
    email_domain: str
    # The SLO file checked when the run ends; empty turns the check off.
    slo_file: Path | None
    # Where the SLO verdict is written (scripts/loadtest.py points it at the run's folder).
    report_dir: Path | None

    @classmethod
    def from_environ(cls) -> "LoadSettings":
        return cls.from_environ_of(os.environ)

    @classmethod
    def from_environ_of(cls, env: Mapping[str, str]) -> "LoadSettings":
        think_min = _number(env, "LOADTEST_THINK_MIN", 1.0)
        think_max = _number(env, "LOADTEST_THINK_MAX", 3.0)
        if think_max < think_min:
            raise SettingsError(
                f"LOADTEST_THINK_MAX ({think_max:g}) is below LOADTEST_THINK_MIN ({think_min:g})"
            )
        slo = env.get("LOADTEST_SLO_FILE", str(LOADTESTS / "slo.toml")).strip()
        report_dir = env.get("LOADTEST_REPORT_DIR", "").strip()
        return cls(
            browser_weight=_whole(env, "LOADTEST_BROWSER_WEIGHT", 80),
            shopper_weight=_whole(env, "LOADTEST_SHOPPER_WEIGHT", 18),
            admin_weight=_whole(env, "LOADTEST_ADMIN_WEIGHT", 2),
            think_min=think_min,
            think_max=think_max,
            stock_level=_whole(env, "LOADTEST_STOCK_LEVEL", 100_000, minimum=1),
            prepare_stock=_flag(env, "LOADTEST_PREPARE_STOCK", True),
            admin_email=env.get("LOADTEST_ADMIN_EMAIL", DEMO_ADMIN_EMAIL),
            admin_password=env.get("LOADTEST_ADMIN_PASSWORD", DEMO_ADMIN_PASSWORD),
            card_number=env.get("LOADTEST_CARD", CARD_PAYS),
            email_domain=env.get("LOADTEST_EMAIL_DOMAIN", "loadtest.example"),
            slo_file=Path(slo) if slo and slo.lower() not in {"off", "none"} else None,
            report_dir=Path(report_dir) if report_dir else None,
        )
