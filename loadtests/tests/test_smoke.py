"""The Locust journeys work end to end: a short run against a stack started as `make dev`
starts it (scripts/loadtest.py --smoke), where any failed request fails the test."""

import subprocess
import sys
from pathlib import Path

from shopload.slo import stats_from_csv

ROOT = Path(__file__).resolve().parents[2]
# The run itself is about 12 s; starting the stack on a busy machine takes most of the rest.
TIMEOUT_SECONDS = 240


def test_every_journey_runs_without_a_single_failure(tmp_path: Path) -> None:
    command = [
        sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--smoke",
        "--report-dir", str(tmp_path),
    ]  # fmt: skip
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        try:
            output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            # SIGTERM, not SIGKILL: the run removes its stack and servers on the way out.
            process.terminate()
            output, _ = process.communicate(timeout=60)
            raise AssertionError(f"the smoke run took over {TIMEOUT_SECONDS}s:\n{output}") from None
    assert process.returncode == 0, output

    rows = {row.key: row for row in stats_from_csv(tmp_path / "locust_stats.csv")}
    assert rows["Aggregated"].failures == 0, output
    # Each kind of visitor did its part: a purchase was paid and the back office was used.
    for journey in (
        "POST /api/auth/register",
        "POST /api/orders/ (checkout)",
        "GET /api/orders/[id]/",
        "GET /api/catalog/admin/products/",
    ):
        assert rows[journey].requests > 0, f"{journey} never ran\n{output}"
    assert "all" in (tmp_path / "slo.txt").read_text()
    assert (tmp_path / "report.html").stat().st_size > 0
