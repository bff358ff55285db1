"""Throwaway PostgreSQL and Redis servers for tests.

The servers listen on free loopback ports and keep their data in a temporary directory, so a
test run never touches the instances a developer may have on the standard ports.
"""

from testenv.binaries import MissingBinaryError, require_binary
from testenv.ports import free_port, free_ports
from testenv.postgres import PostgresServer, postgres_url
from testenv.redis import RedisServer, redis_url

__all__ = [
    "MissingBinaryError",
    "PostgresServer",
    "RedisServer",
    "free_port",
    "free_ports",
    "postgres_url",
    "redis_url",
    "require_binary",
]
