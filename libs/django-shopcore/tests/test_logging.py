"""JSON log lines: time, level, logger, message, the request id, then any extras."""

import json
import logging
import subprocess
import sys

from shopcore import request_id


def test_lines_outside_requests_have_no_request_id(json_logs):
    logging.getLogger("shop").warning("background work")

    line = json_logs()[-1]
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": "shop",
        "message": "background work",
        "request_id": None,
    }
    assert line["time"].endswith("Z")


def test_lines_carry_the_bound_request_id_and_extras(json_logs):
    token = request_id.bind("req-9")
    try:
        logging.getLogger("shop").info("paid %s", "order-1", extra={"order_id": "order-1"})
    finally:
        request_id.unbind(token)

    line = json_logs()[-1]
    assert (line["message"], line["request_id"], line["order_id"]) == (
        "paid order-1",
        "req-9",
        "order-1",
    )


# What gunicorn does with the configuration before Django is set up, in a process of its own.
CONFIGURE_AND_LOG = """
import logging, logging.config
from shopcore.logging import logging_config
logging.config.dictConfig(logging_config("WARNING"))
logging.getLogger("shop").info("not shown")
logging.getLogger("shop").warning("shown")
logging.getLogger("django.request").warning("a 404, said again by the access log")
logging.getLogger("gunicorn.access").info("said by the access middleware already")
"""


def test_the_configuration_writes_json_to_stdout_at_the_given_level():
    result = subprocess.run(
        [sys.executable, "-c", CONFIGURE_AND_LOG],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [("shop", "shown")]
    assert result.stderr == ""
