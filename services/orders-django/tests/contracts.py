"""The event contracts (JSON Schemas in contracts/events), as the tests check events against them.

EVENT_CONTRACTS_DIR points at another copy (a container's); the repo's copy is the default.
"""

import functools
import json
import os
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

REPO_DIR = Path(__file__).resolve().parents[3]
CONTRACTS_DIR = Path(os.environ.get("EVENT_CONTRACTS_DIR", REPO_DIR / "contracts" / "events"))


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((CONTRACTS_DIR / name).read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid_event(envelope: dict) -> None:
    """Raises jsonschema.ValidationError naming the first thing that breaks the contract."""
    _validator("envelope.schema.json").validate(envelope)
    _validator(f"{envelope['type']}.v{envelope['version']}.schema.json").validate(envelope["data"])
