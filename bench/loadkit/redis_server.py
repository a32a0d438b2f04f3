"""The Redis Stack server a Redis-backed target uses: the tests' own, pinned to a core."""

import os
import sys

from loadkit.errors import BenchError
from loadkit.processes import REPO

# The tests' RedisStack (bundled redis-server, libssl 1.1 fetched once) lives in the
# package `tests`, which a script run from bench/ cannot import: the repo root is not on
# sys.path then, only bench/. Reuse it rather than keep a second copy of the server setup.
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

from tests.infra.redis_stack import RedisStack, RedisStackError


def start_redis(core: int) -> RedisStack:
    """A Redis Stack on a free port, pinned to `core`; stop it with `.stop()`."""
    server = RedisStack()
    try:
        server.start()
    except RedisStackError as error:
        raise BenchError(f"Redis Stack did not start: {error}") from error
    assert server.process is not None
    # Pinned after start (RedisStack spawns it unpinned) and before any load reaches it.
    os.sched_setaffinity(server.process.pid, {core})
    return server
