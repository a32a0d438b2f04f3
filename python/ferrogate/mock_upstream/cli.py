"""Command line of the mock upstream; every flag also reads FERROGATE_MOCK_<FLAG>."""

import argparse
import logging
import os
from collections.abc import Callable

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


def _milliseconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _add(
    parser: argparse.ArgumentParser,
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
    _add(parser, "--latency-ms", 0.0, _milliseconds, "delay before each response")
    _add(parser, "--chunk-delay-ms", 0.0, _milliseconds, "delay between streamed events")
    _add(parser, "--stream-chunks", 8, _positive_int, "content chunks (= completion tokens)")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    settings = MockSettings(
        latency_ms=args.latency_ms,
        chunk_delay_ms=args.chunk_delay_ms,
        stream_chunks=args.stream_chunks,
    )
    logging.basicConfig(level=logging.INFO, format="[%(levelname)s] %(name)s: %(message)s")
    # Imported late so that --help and bad flags answer without loading Granian.
    from .server import serve

    serve(args.host, args.port, args.workers, settings)
