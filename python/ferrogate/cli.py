"""`ferrogate serve | keys | mock-upstream`. Serve flags are also FERROGATE_* variables."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence

from ferrogate.cli_keys import add_keys_parser, run_keys
from ferrogate.config import ConfigError, load_config
from ferrogate.gateway import DEFAULT_MAX_BODY_BYTES, Gateway

SERVERS = ("granian", "robyn")
# Granian measured faster on bench/load.py (see README, "Front ends").
DEFAULT_SERVER = "granian"


def _flag(parser: argparse.ArgumentParser, name: str, default, help_text: str, **kwargs) -> None:
    env_name = "FERROGATE_" + name.upper().replace("-", "_")
    # An empty variable (FERROGATE_CONFIG= in a compose file, say) means unset, not "".
    value = os.environ.get(env_name) or default
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
    add_keys_parser(commands)
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
        if config.telemetry.metrics:
            _share_metrics_between_workers()
        if config.telemetry.dashboard:
            _share_dashboard_figures_between_workers()
        gateway = Gateway.from_config(config, redis_url=settings.redis_url)
    except ConfigError as exc:
        print(f"ferrogate: {exc}", file=sys.stderr)
        return 2
    log = logging.getLogger("ferrogate")
    log.info("%s", gateway.describe())
    if gateway.open:
        log.warning(
            "no master key set: the gateway runs open (no API keys checked, admin API off); "
            "set FERROGATE_MASTER_KEY to require keys"
        )
    os.environ.update(settings.to_env())
    if settings.server == "robyn":
        from ferrogate.servers.robyn_server import run
    else:
        from ferrogate.servers.granian_server import run
    run(settings)
    return 0


def _share_metrics_between_workers() -> None:
    """Workers write their metrics to files in one folder, which /metrics sums.

    prometheus_client picks that mode when first imported, so the variable is set here,
    before anything imports it, and the workers inherit it.
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return  # the operator chose the folder (it should be emptied between runs)
    folder = tempfile.mkdtemp(prefix="ferrogate-metrics-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder


def _share_dashboard_figures_between_workers() -> None:
    """Without Redis, workers leave their dashboard figures in one folder (see
    ferrogate.stats.boards); with Redis the folder goes unused."""
    from ferrogate.gateway.telemetry_setup import STATS_DIR_VAR

    if os.environ.get(STATS_DIR_VAR):
        return  # the operator's folder: figures of a run before stay for their 15 minutes
    folder = tempfile.mkdtemp(prefix="ferrogate-stats-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ[STATS_DIR_VAR] = folder


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["mock-upstream"]:
        from ferrogate.mock_upstream.cli import main as mock_main

        mock_main(argv[1:])
        return 0
    args = _parser().parse_args(argv)
    if args.command == "keys":
        return run_keys(args)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
