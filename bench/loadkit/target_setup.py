"""Each target of bench/load.py started for a run: its server, config and what it is sent."""

import contextlib

from loadkit.keys import create_virtual_key, new_master_key
from loadkit.plan import (
    CACHE_SCENARIOS,
    COMPARED_SCENARIOS,
    FULL_SCENARIOS,
    PLAIN_SCENARIOS,
    SCENARIOS,
    TWO_CORE_SCENARIOS,
    RunPlan,
    Scenario,
)
from loadkit.targets import (
    BARE_TARGET,
    CACHED_TARGET,
    FULL_TARGET,
    KEYS_REDIS_TARGET,
    KEYS_TARGET,
    OBSERVED_TARGET,
    TWO_CORE_TARGET,
    Started,
    Target,
    bare_telemetry,
    base_url,
    chat_url,
    gateway_routes,
    mock_headers,
    mock_routes,
    observed_telemetry,
    start_gateway,
    write_gateway_config,
)


def target_for(name: str, plan: RunPlan, stack: contextlib.ExitStack) -> Target:
    if name == "mock":
        routes = mock_routes(plan.mock_port, plan.prefixes)
        url = routes["chat"].url
        return Target("mock", url, mock_headers(), plan.mock_pid, PLAIN_SCENARIOS, routes=routes)
    if name in (KEYS_TARGET, KEYS_REDIS_TARGET, FULL_TARGET):
        return keyed_target(name, plan, stack)
    if name == CACHED_TARGET:
        config = write_gateway_config(
            plan.workdir, plan.mock_port, prefixes=plan.prefixes, cache=True, label=name
        )
        started = start_gateway("granian", config, plan.workdir, plan.cores.server, name)
        return _gateway_target(name, plan, stack, started, CACHE_SCENARIOS)
    if name in (BARE_TARGET, OBSERVED_TARGET):
        return telemetry_target(name, plan, stack)
    if name == TWO_CORE_TARGET:
        # Both cores: the load generator and the upstream share them with the gateway.
        config = write_gateway_config(plan.workdir, plan.mock_port, prefixes=plan.prefixes)
        started = start_gateway("granian", config, plan.workdir, plan.cores.both, name, workers=2)
        return _gateway_target(name, plan, stack, started, TWO_CORE_SCENARIOS)
    config = write_gateway_config(plan.workdir, plan.mock_port, prefixes=plan.prefixes, label=name)
    started = start_gateway(name, config, plan.workdir, plan.cores.server)
    scenarios = PLAIN_SCENARIOS if name == "granian" else SCENARIOS
    return _gateway_target(name, plan, stack, started, scenarios)


def _gateway_target(
    name: str,
    plan: RunPlan,
    stack: contextlib.ExitStack,
    started: Started,
    scenarios: tuple[Scenario, ...],
    headers: dict[str, str] | None = None,
    **extra,
) -> Target:
    stack.callback(started.server.stop)  # stop() is a no-op on a server already stopped
    return Target(
        name,
        chat_url(started.port),
        headers or {},
        started.server.pid,
        scenarios,
        routes=gateway_routes(started.port, plan.prefixes),
        startup_s=started.startup_s,
        **extra,
    )


def keyed_target(name: str, plan: RunPlan, stack: contextlib.ExitStack) -> Target:
    """Granian with a master key; every request sends one virtual key with room to spare.

    With Redis, the server shares the gateway's core: its work is part of what keys and
    limits cost, and the load core stays the ceiling it is for every other row. The full
    target adds the cache and the usage log (to a file in the run's folder).
    """
    redis_url, redis_pid = None, None
    if name == KEYS_REDIS_TARGET:
        from loadkit.redis_server import start_redis  # imports redis only when needed

        redis = start_redis(plan.cores.server)
        stack.callback(redis.stop)
        redis_url, redis_pid = redis.url, redis.process.pid
    full = name == FULL_TARGET
    usage_log = plan.workdir / f"{name}-usage.jsonl" if full else None
    master_key = new_master_key()
    config = write_gateway_config(
        plan.workdir,
        plan.mock_port,
        prefixes=plan.prefixes,
        cache=full,
        master_key=master_key,
        telemetry=observed_telemetry(usage_log) if usage_log else "",
        label=name,
    )
    started = start_gateway(
        "granian", config, plan.workdir, plan.cores.server, name, redis_url, keyed=True
    )
    stack.callback(started.server.stop)  # before the key is asked for, which may fail
    key = create_virtual_key(base_url(started.port), master_key)
    return _gateway_target(
        name,
        plan,
        stack,
        started,
        FULL_SCENARIOS if full else COMPARED_SCENARIOS,
        headers={"Authorization": f"Bearer {key}"},
        redis_pid=redis_pid,
        usage_log=usage_log,
    )


def telemetry_target(name: str, plan: RunPlan, stack: contextlib.ExitStack) -> Target:
    """Granian with metrics and usage log both off (bare), or both on, the log to a file in
    the run's folder (observed)."""
    usage_log = plan.workdir / f"{name}-usage.jsonl" if name == OBSERVED_TARGET else None
    telemetry = observed_telemetry(usage_log) if usage_log else bare_telemetry()
    config = write_gateway_config(
        plan.workdir, plan.mock_port, prefixes=plan.prefixes, telemetry=telemetry, label=name
    )
    started = start_gateway("granian", config, plan.workdir, plan.cores.server, name)
    return _gateway_target(name, plan, stack, started, COMPARED_SCENARIOS, usage_log=usage_log)
