"""Run the mock under Granian's RSGI interface."""

import logging
from functools import partial

from granian import Granian
from granian.constants import HTTPModes, Interfaces, Loops
from granian.log import LogLevels

from .app import build_app
from .settings import MockSettings

logger = logging.getLogger("ferrogate.mock_upstream")


def serve(host: str, port: int, workers: int, settings: MockSettings) -> None:
    server = Granian(
        "ferrogate.mock_upstream.app:build_app",
        address=host,
        port=port,
        interface=Interfaces.RSGI,
        workers=workers,
        loop=Loops.uvloop,
        http=HTTPModes.http1,
        websockets=False,
        # Granian's own start-up chatter would break the one-line-at-start promise;
        # warnings and errors still come through.
        log_level=LogLevels.warning,
    )
    logger.info(
        "mock upstream on http://%s:%d (workers=%d, chunk delay=%gms, stream chunks=%d)",
        host,
        port,
        workers,
        settings.chunk_delay_ms,
        settings.stream_chunks,
    )
    if settings.faults.active:
        logger.info("faults %s (seed %s)", settings.faults.as_json(), settings.seed)
    # The loader travels to each worker process, so it must be picklable: a partial
    # over a module-level function and a frozen dataclass is.
    server.serve(target_loader=partial(build_app, settings), wrap_loader=False)
