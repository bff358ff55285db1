"""The load tests' own tests: the SLO check, and a short Locust run against a real stack."""

import sys
from pathlib import Path

LOADTESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(LOADTESTS))
