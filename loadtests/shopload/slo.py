"""Service level objectives: read the checked-in file, hold a run's statistics against it.

The file (loadtests/slo.toml) has a `[total]` table for the run as a whole, a `[default]`
table for every request group, and `[groups."<METHOD> <name>"]` tables, where the name is the
one in Locust's report, whose limits replace the default's one by one. Each table may set:

    max_error_ratio   failures / requests (0.01 = 1 %)
    p95_ms, p99_ms    response-time percentiles over the whole run, in milliseconds
    min_requests      fewer requests than this fails the check: the journey did not run

and at the top, before any table, `percentile_min_requests`: a request group with fewer
requests has its percentiles shown but not judged (the p99 of 40 requests is their slowest
one, a matter of luck on a shared machine). The run's total is always judged.

Standard library only, so the verdict can be computed from Locust's live statistics (inside
the locustfile, when the run ends) and from its CSV file alike.
"""

import csv
import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LIMITS = ("max_error_ratio", "p95_ms", "p99_ms", "min_requests")
TOTAL = "Aggregated"


class SloFileError(ValueError):
    """The SLO file cannot be used; the message names the table and key."""


@dataclass(frozen=True)
class GroupStats:
    """What a run measured for one request group (or the whole run, as `Aggregated`)."""

    method: str
    name: str
    requests: int
    failures: int
    p95_ms: float
    p99_ms: float

    @property
    def key(self) -> str:
        return TOTAL if self.name == TOTAL else f"{self.method} {self.name}"

    @property
    def error_ratio(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class Check:
    group: str
    metric: str
    limit: float
    actual: float | None  # None: the group made no requests, so there is nothing to measure
    ok: bool
    judged: bool = True  # False: too few requests for this percentile to mean anything


@dataclass(frozen=True)
class Slo:
    total: dict[str, float]
    default: dict[str, float]
    groups: dict[str, dict[str, float]]
    percentile_min_requests: int = 0

    @classmethod
    def load(cls, path: Path) -> "Slo":
        try:
            data = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SloFileError(f"{path}: {error}") from None
        unknown = set(data) - {"total", "default", "groups", "percentile_min_requests"}
        if unknown:
            raise SloFileError(f"{path}: unknown table(s) {', '.join(sorted(unknown))}")
        groups = data.get("groups", {})
        for name in groups:
            method, _, rest = name.partition(" ")
            if not method.isupper() or not rest.startswith("/"):
                raise SloFileError(
                    f'{path}: group "{name}" must be "<METHOD> <name>", e.g. "GET /api/cart/"'
                )
        minimum = data.get("percentile_min_requests", 0)
        if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
            raise SloFileError(f"{path}: percentile_min_requests must be a whole number >= 0")
        return cls(
            total=_limits(path, "total", data.get("total", {})),
            default=_limits(path, "default", data.get("default", {})),
            groups={name: _limits(path, name, table) for name, table in groups.items()},
            percentile_min_requests=minimum,
        )

    def evaluate(self, stats: Iterable[GroupStats]) -> list[Check]:
        """One check per limit that applies: the total, each named group, every other group."""
        by_key = {entry.key: entry for entry in stats}
        least = self.percentile_min_requests
        checks = _check(TOTAL, self.total, by_key.get(TOTAL), 0)
        for name, limits in self.groups.items():
            checks += _check(name, {**self.default, **limits}, by_key.get(name), least)
        for key, entry in sorted(by_key.items()):
            if key != TOTAL and key not in self.groups:
                checks += _check(key, self.default, entry, least)
        return checks


def _limits(path: Path, table: str, values: dict) -> dict[str, float]:
    unknown = set(values) - set(LIMITS)
    if unknown:
        raise SloFileError(f"{path}: [{table}] has unknown key(s) {', '.join(sorted(unknown))}")
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise SloFileError(f"{path}: [{table}] {key} must be a number >= 0, got {value!r}")
    return dict(values)


def _check(
    group: str, limits: dict[str, float], entry: GroupStats | None, percentile_min_requests: int
) -> list[Check]:
    checks = []
    requests = entry.requests if entry else 0
    for metric, limit in limits.items():
        if metric == "min_requests":
            checks.append(Check(group, metric, limit, requests, requests >= limit))
        elif not requests:
            # Nothing was measured; only min_requests decides whether that is acceptable.
            checks.append(Check(group, metric, limit, None, True))
        elif metric == "max_error_ratio":
            ratio = entry.error_ratio
            checks.append(Check(group, metric, limit, ratio, ratio <= limit))
        else:
            actual = getattr(entry, metric)
            if requests < percentile_min_requests:
                checks.append(Check(group, metric, limit, actual, True, judged=False))
            else:
                checks.append(Check(group, metric, limit, actual, actual <= limit))
    return checks


def stats_from_csv(path: Path) -> list[GroupStats]:
    """The rows of Locust's `<prefix>_stats.csv`."""
    with path.open(newline="") as handle:
        return [
            GroupStats(
                method=row["Type"],
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p95_ms=_number(row["95%"]),
                p99_ms=_number(row["99%"]),
            )
            for row in csv.DictReader(handle)
        ]


def _number(raw: str) -> float:
    return math.nan if raw in ("", "N/A") else float(raw)


def verdict_table(checks: list[Check]) -> str:
    """A plain-text table of every check, the broken ones marked."""
    rows = [("", "group", "limit", "actual")]
    for check in checks:
        limit = _shown(check.metric, check.limit)
        actual = "no requests" if check.actual is None else _shown(check.metric, check.actual)
        if not check.judged:
            actual += " (too few requests to judge)"
        mark = "BROKEN" if not check.ok else ("ok" if check.judged else "-")
        rows.append((mark, check.group, f"{check.metric} {limit}", actual))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _shown(metric: str, value: float) -> str:
    if metric == "max_error_ratio":
        return f"{value * 100:.2f}%"
    if metric == "min_requests":
        return f"{value:.0f}"
    return f"{value:.0f} ms"
