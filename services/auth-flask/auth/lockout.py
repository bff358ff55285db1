"""Per-account login throttling with a temporary lockout that doubles on every repeat.

The per-IP limit (Flask-Limiter) stops one client from guessing quickly; this stops many clients
guessing one account's password. After LOGIN_LOCKOUT_THRESHOLD failures within
LOGIN_FAILURE_WINDOW_SECONDS the account is locked for LOGIN_LOCKOUT_BASE_SECONDS; each further
lockout doubles the time, up to LOGIN_LOCKOUT_MAX_SECONDS. A successful login forgets it all, and
so does a quiet period of the maximum lockout plus the window.

Counters are kept per email address whether or not an account exists, so a lockout reveals
nothing about which addresses are registered. Keys hold a hash of the address, not the address.
"""

import hashlib
import math

from flask import current_app

from auth.extensions import redis_client

# One atomic step per failure: count it and, at the threshold, start the next, longer lockout.
_RECORD_FAILURE = """
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
if failures < tonumber(ARGV[2]) then
    return 0
end
redis.call('DEL', KEYS[1])
local level = redis.call('INCR', KEYS[2])
local duration = math.floor(math.min(tonumber(ARGV[3]) * 2 ^ (level - 1), tonumber(ARGV[4])))
redis.call('SET', KEYS[3], level, 'EX', duration)
redis.call('EXPIRE', KEYS[2], duration + tonumber(ARGV[4]) + tonumber(ARGV[1]))
return duration
"""


def _keys(email: str) -> tuple[str, str, str]:
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()[:32]
    prefix = f"{current_app.config['REDIS_KEY_PREFIX']}:login:{digest}"
    return f"{prefix}:failures", f"{prefix}:level", f"{prefix}:locked"


def lockout_remaining(*, email: str) -> int:
    """Seconds until this account may try again; 0 when it is not locked."""
    milliseconds = redis_client.client.pttl(_keys(email)[2])
    return math.ceil(milliseconds / 1000) if milliseconds > 0 else 0


def login_failure_record(*, email: str) -> int:
    """Count a failed attempt; returns the lockout it started in seconds, or 0."""
    config = current_app.config
    script = redis_client.client.register_script(_RECORD_FAILURE)
    return int(
        script(
            keys=list(_keys(email)),
            args=[
                config["LOGIN_FAILURE_WINDOW_SECONDS"],
                config["LOGIN_LOCKOUT_THRESHOLD"],
                config["LOGIN_LOCKOUT_BASE_SECONDS"],
                config["LOGIN_LOCKOUT_MAX_SECONDS"],
            ],
        )
    )


def login_failures_clear(*, email: str) -> None:
    failures, level, _locked = _keys(email)
    redis_client.client.delete(failures, level)
