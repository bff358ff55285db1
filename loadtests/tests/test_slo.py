"""The SLO check decides whether `make loadtest` passes: it must catch every broken limit."""

from pathlib import Path

import pytest
from shopload.slo import GroupStats, Slo, SloFileError, stats_from_csv, verdict_table

LOADTESTS = Path(__file__).resolve().parents[1]


def stats(name: str, *, requests: int = 100, failures: int = 0, p95: float = 50, p99: float = 80,
          method: str = "GET") -> GroupStats:  # fmt: skip
    return GroupStats(method, name, requests, failures, p95, p99)


def total(**kwargs: float) -> GroupStats:
    return stats("Aggregated", method="", **kwargs)


def slo(tmp_path: Path, text: str) -> Slo:
    path = tmp_path / "slo.toml"
    path.write_text(text)
    return Slo.load(path)


def broken(checks: list) -> list[tuple[str, str]]:
    return [(check.group, check.metric) for check in checks if not check.ok]


def test_a_run_within_every_limit_passes(tmp_path: Path) -> None:
    objectives = slo(
        tmp_path,
        """
        [total]
        max_error_ratio = 0.0
        p95_ms = 100
        [groups."GET /api/cart/"]
        p99_ms = 90
        """,
    )
    checks = objectives.evaluate([total(), stats("/api/cart/")])
    assert broken(checks) == []
    assert len(checks) == 3


def test_each_kind_of_limit_is_caught(tmp_path: Path) -> None:
    objectives = slo(
        tmp_path,
        """
        [total]
        max_error_ratio = 0.001
        [groups."GET /api/cart/"]
        p95_ms = 40
        [groups."POST /api/orders/ (checkout)"]
        p99_ms = 70
        min_requests = 1000
        """,
    )
    checks = objectives.evaluate(
        [
            total(requests=1000, failures=2),
            stats("/api/cart/", p95=41),
            stats("/api/orders/ (checkout)", method="POST", requests=999, p99=71),
        ]
    )
    assert broken(checks) == [
        ("Aggregated", "max_error_ratio"),
        ("GET /api/cart/", "p95_ms"),
        ("POST /api/orders/ (checkout)", "p99_ms"),
        ("POST /api/orders/ (checkout)", "min_requests"),
    ]


def test_the_default_applies_to_every_group_and_a_group_table_replaces_single_limits(
    tmp_path: Path,
) -> None:
    objectives = slo(
        tmp_path,
        """
        [default]
        max_error_ratio = 0.0
        p95_ms = 100
        [groups."GET /api/catalog/products/?q=[words]"]
        p95_ms = 300
        """,
    )
    checks = objectives.evaluate(
        [
            stats("/api/catalog/products/?q=[words]", p95=250, failures=1),
            stats("/api/cart/", p95=150),
        ]
    )
    assert broken(checks) == [
        ("GET /api/catalog/products/?q=[words]", "max_error_ratio"),
        ("GET /api/cart/", "p95_ms"),
    ]


def test_a_group_that_made_no_requests_fails_only_a_minimum(tmp_path: Path) -> None:
    objectives = slo(
        tmp_path,
        """
        [groups."GET /api/cart/"]
        p95_ms = 10
        [groups."POST /api/orders/ (checkout)"]
        min_requests = 1
        """,
    )
    checks = objectives.evaluate([total()])
    assert broken(checks) == [("POST /api/orders/ (checkout)", "min_requests")]
    assert "no requests" in verdict_table(checks)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[totals]\np95_ms = 1", "unknown table(s) totals"),
        ("[total]\np90_ms = 1", "unknown key(s) p90_ms"),
        ("[total]\np95_ms = -1", "p95_ms must be a number >= 0"),
        ("percentile_min_requests = 1.5", "percentile_min_requests must be a whole number"),
        ("[total]\np95_ms = '1'", "p95_ms must be a number >= 0"),
        ('[groups."/api/cart/"]\np95_ms = 1', '"<METHOD> <name>"'),
        ("[total\n", "slo.toml"),
    ],
)
def test_a_malformed_file_is_refused_with_what_is_wrong(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(SloFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        slo(tmp_path, text)


def test_the_checked_in_files_load() -> None:
    for name in ("slo.toml", "slo-smoke.toml"):
        objectives = Slo.load(LOADTESTS / name)
        assert objectives.total, name


def test_stats_are_read_from_locusts_csv(tmp_path: Path) -> None:
    path = tmp_path / "locust_stats.csv"
    path.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
        "POST,/api/orders/ (checkout),40,1,55,60,30,200,900,2.0,0.05,"
        "55,60,62,70,90,120,150,190,200,200,200\n"
        ",Aggregated,400,1,9,18,0,690,6000,35.8,0.05,9,13,15,17,27,45,210,310,690,690,690\n"
    )
    rows = stats_from_csv(path)
    assert rows[0] == GroupStats("POST", "/api/orders/ (checkout)", 40, 1, 120.0, 190.0)
    assert rows[0].key == "POST /api/orders/ (checkout)"
    assert rows[1].key == "Aggregated"
    assert rows[1].error_ratio == pytest.approx(1 / 400)


def test_percentiles_of_a_small_group_are_shown_but_not_judged(tmp_path: Path) -> None:
    objectives = slo(
        tmp_path,
        """
        percentile_min_requests = 100
        [total]
        p99_ms = 50
        [default]
        max_error_ratio = 0.0
        p99_ms = 50
        """,
    )
    checks = objectives.evaluate(
        [
            total(requests=60, p99=80),
            stats("/api/cart/", requests=99, p99=900, failures=1),
            stats("/api/orders/", requests=100, p99=51),
        ]
    )
    # The total is judged whatever its size; the small group only on its errors.
    assert broken(checks) == [
        ("Aggregated", "p99_ms"),
        ("GET /api/cart/", "max_error_ratio"),
        ("GET /api/orders/", "p99_ms"),
    ]
    assert "too few requests to judge" in verdict_table(checks)
