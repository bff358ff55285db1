"""Waiting for something another process or thread does, with a deadline and a clear failure."""

import time
from collections.abc import Callable
from typing import TypeVar

import redis

T = TypeVar("T")


def wait_for(check: Callable[[], T], *, what: str, timeout: float = 20.0) -> T:
    """Call `check` until it returns something truthy, and return that; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


def queue_drained(broker: redis.Redis, queue: str = "catalog") -> bool:
    """Nothing waits in the queue and nothing is out unacknowledged (held retries included)."""
    return broker.llen(queue) == 0 and broker.hlen("unacked") == 0
