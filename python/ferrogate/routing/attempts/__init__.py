"""How the router makes its upstream attempts: one deployment's turn with its retries
(``lane``), a stream primed with its first chunk (``first_chunk``), and lanes raced against
each other when hedging (``hedged_race``)."""

from ferrogate.routing.attempts.first_chunk import close_stream, open_primed_stream
from ferrogate.routing.attempts.hedged_race import race
from ferrogate.routing.attempts.lane import Lane, Operation, Tally, run_lane

__all__ = ["Lane", "Operation", "Tally", "close_stream", "open_primed_stream", "race", "run_lane"]
