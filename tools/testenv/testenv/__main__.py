"""`python -m testenv run -- CMD...`: one PostgreSQL and one Redis for the whole command."""

import os
import signal
import subprocess
import sys

from testenv.postgres import PostgresServer
from testenv.redis import RedisServer

USAGE = "usage: python -m testenv run -- COMMAND [ARGS...]"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "run" or argv[1] != "--":
        print(USAGE, file=sys.stderr)
        return 2
    with PostgresServer() as pg, RedisServer() as redis:
        env = {**os.environ, "TEST_POSTGRES_URL": pg.url, "TEST_REDIS_URL": redis.url}
        print(f"testenv: PostgreSQL {pg.url}  Redis {redis.url}", flush=True)
        process = subprocess.Popen(argv[2:], env=env)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.send_signal(signal.SIGINT)
            return process.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
