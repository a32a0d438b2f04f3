"""Command line of the mock upstream; every flag also reads FERROGATE_MOCK_<FLAG>."""

import argparse
import logging
import os
from collections.abc import Callable

from .faults import Faults
from .settings import MockSettings

ENV_PREFIX = "FERROGATE_MOCK_"


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {value}")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _status(text: str) -> int:
    value = int(text)
    if not 400 <= value <= 599:
        raise argparse.ArgumentTypeError(f"must be an HTTP error status (400-599), got {value}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _add(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    flag: str,
    default: object,
    kind: Callable[[str], object],
    help_text: str,
) -> None:
    env_name = ENV_PREFIX + flag.removeprefix("--").replace("-", "_").upper()
    # argparse runs string defaults through `type`, so a bad env value fails like a bad flag.
    default = os.environ.get(env_name, default)
    parser.add_argument(flag, type=kind, default=default, help=f"{help_text} [env {env_name}]")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ferrogate mock-upstream",
        description="A fast mock of the OpenAI API (chat, embeddings, models) for tests "
        "and load benchmarks. Any 'Authorization: Bearer <token>' is accepted.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    _add(parser, "--host", "127.0.0.1", str, "address to bind")
    _add(parser, "--port", 8100, _port, "port to bind")
    _add(parser, "--workers", 1, _positive_int, "worker processes")
    _add(parser, "--latency-ms", 0.0, _non_negative, "delay before each model response")
    _add(parser, "--chunk-delay-ms", 0.0, _non_negative, "delay between streamed events")
    _add(parser, "--stream-chunks", 8, _positive_int, "content chunks (= completion tokens)")
    _add_fault_flags(parser.add_argument_group("faults (POST /_faults changes them at run time)"))
    return parser


def _add_fault_flags(group: argparse._ArgumentGroup) -> None:
    _add(group, "--fault-rate", 0.0, _rate, "share of model requests answered --fault-status")
    _add(group, "--fault-status", 503, _status, "status of those answers, in the provider's format")
    _add(group, "--fault-retry-after", None, _non_negative, "retry-after seconds they carry")
    _add(group, "--jitter-ms", 0.0, _non_negative, "plus a random 0..N ms on --latency-ms")
    _add(group, "--first-token-ms", 0.0, _non_negative, "streams: pause before the first event")
    _add(group, "--first-token-rate", 1.0, _rate, "share of streams with that pause")
    _add(group, "--reset-rate", 0.0, _rate, "share of model requests reset (TCP RST) unanswered")
    _add(group, "--cut-after", None, _count, "streams: reset after N events, never the last")
    _add(group, "--cut-rate", 1.0, _rate, "share of streams cut")
    _add(group, "--seed", None, int, "seed of the fault dice, for a repeatable run")


def _faults(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Faults:
    try:
        return Faults(
            fault_rate=args.fault_rate,
            fault_status=args.fault_status,
            fault_retry_after=args.fault_retry_after,
            latency_ms=args.latency_ms,
            jitter_ms=args.jitter_ms,
            first_token_ms=args.first_token_ms,
            first_token_rate=args.first_token_rate,
            reset_rate=args.reset_rate,
            cut_after=args.cut_after,
            cut_rate=args.cut_rate,
        )
    except ValueError as error:  # a combination the flags alone cannot check
        parser.error(str(error))


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = MockSettings(
        chunk_delay_ms=args.chunk_delay_ms,
        stream_chunks=args.stream_chunks,
        faults=_faults(parser, args),
        seed=args.seed,
    )
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s] %(name)s: %(message)s")
    # Imported late so that --help and bad flags answer without loading Granian.
    from .server import serve

    serve(args.host, args.port, args.workers, settings)
