"""`ferrogate serve | mock-upstream`. Every flag is also a FERROGATE_* environment variable."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from ferrogate.config import ConfigError, load_config
from ferrogate.gateway import DEFAULT_MAX_BODY_BYTES, Gateway

SERVERS = ("granian", "robyn")
# Granian measured faster on bench/load.py (see README, "Front ends").
DEFAULT_SERVER = "granian"


def _flag(parser: argparse.ArgumentParser, name: str, default, help_text: str, **kwargs) -> None:
    env_name = "FERROGATE_" + name.upper().replace("-", "_")
    value = os.environ.get(env_name, default)
    shown = "(none)" if default is None else default
    parser.add_argument(
        f"--{name}",
        default=value,
        help=f"{help_text} [env {env_name}; default: {shown}]",
        **kwargs,
    )


def _serve_parser(commands) -> None:
    serve = commands.add_parser("serve", help="run the gateway")
    _flag(serve, "server", DEFAULT_SERVER, "HTTP front end", choices=SERVERS)
    _flag(serve, "host", "127.0.0.1", "address to listen on")
    _flag(serve, "port", 8080, "port to listen on", type=int)
    _flag(serve, "workers", 1, "worker processes", type=int)
    _flag(serve, "config", None, "YAML config file; the embedded default when unset")
    _flag(
        serve, "max-body-bytes", DEFAULT_MAX_BODY_BYTES, "largest request body accepted", type=int
    )
    _flag(serve, "redis-url", None, "Redis for shared state; /ready checks it when set")
    _flag(serve, "log-level", "info", "log level", choices=("debug", "info", "warning", "error"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ferrogate", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _serve_parser(commands)
    commands.add_parser(
        "mock-upstream", help="run a mock OpenAI API for tests and benchmarks", add_help=False
    )
    return parser


def serve(args: argparse.Namespace) -> int:
    from ferrogate.servers.settings import ServeSettings

    settings = ServeSettings(
        server=args.server,
        host=args.host,
        port=int(args.port),
        workers=int(args.workers),
        config=args.config,
        max_body_bytes=int(args.max_body_bytes),
        redis_url=args.redis_url,
        log_level=args.log_level,
    )
    try:
        config = load_config(settings.config)  # fail here, once, with the field named
    except ConfigError as exc:
        print(f"ferrogate: {exc}", file=sys.stderr)
        return 2
    gateway = Gateway.from_config(config)
    logging.getLogger("ferrogate").info("%s", gateway.describe())
    os.environ.update(settings.to_env())
    if settings.server == "robyn":
        from ferrogate.servers.robyn_server import run
    else:
        from ferrogate.servers.granian_server import run
    run(settings)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["mock-upstream"]:
        from ferrogate.mock_upstream.cli import main as mock_main

        mock_main(argv[1:])
        return 0
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
