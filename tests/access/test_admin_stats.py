"""GET /admin/stats over real sockets: who may read it, and figures that match the traffic a
client sent, summed over workers and over instances sharing Redis."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from tests.access.keyed import MASTER_KEY, KeyedGateway, running_keyed_gateway
from tests.support.processes import ferrogate_command, free_port, running

# One dollar per token: cost reads straight off usage.
DOLLAR_A_TOKEN = {"demo": {"input_per_mtok": 1_000_000.0, "output_per_mtok": 1_000_000.0}}
SETTINGS = {"prices": DOLLAR_A_TOKEN, "limits": {"expected_output_tokens": 5}}


def stats_of(gateway: KeyedGateway, until: Callable[[dict], bool], within_s: float = 10) -> dict:
    """/admin/stats once `until` holds: workers publish every two seconds."""
    deadline = time.monotonic() + within_s
    while True:
        # A new connection each time, so with several workers any of them may answer.
        answer = httpx.get(
            f"{gateway.url}/admin/stats", headers={"authorization": f"Bearer {MASTER_KEY}"}
        )
        assert answer.status_code == 200, answer.text
        stats = answer.json()
        if until(stats) or time.monotonic() > deadline:
            return stats
        time.sleep(0.1)


def requests_are(count: int) -> Callable[[dict], bool]:
    return lambda stats: stats["totals"]["requests"] == count


@pytest.mark.parametrize("server", ["granian", "robyn"])
def test_only_the_master_key_reads_the_figures(tmp_path, server):
    with running_keyed_gateway(tmp_path, server=server) as gateway:
        key = gateway.create_key()["key"]
        url = f"{gateway.url}/admin/stats"
        refused = [
            httpx.get(url),
            httpx.get(url, headers={"authorization": "Bearer not-the-master-key"}),
            httpx.get(url, headers={"authorization": f"Bearer {key}"}),  # a virtual key
        ]
        assert [answer.status_code for answer in refused] == [401, 401, 401]
        assert all(answer.json()["error"]["type"] for answer in refused)
        assert gateway.admin("GET", "/stats").status_code == 200
        post = gateway.admin("POST", "/stats")
        assert post.status_code == 405 and post.headers["allow"] == "GET"


def test_figures_match_the_traffic_sent(tmp_path):
    with running_keyed_gateway(tmp_path, settings=SETTINGS) as gateway:
        budgeted = gateway.create_key(max_budget_usd=1000.0, metadata={"name": "team a"})
        limited = gateway.create_key(rpm=2)
        usages = [gateway.chat(budgeted["key"], f"question {n}").json()["usage"] for n in range(5)]
        limited_answers = [gateway.chat(limited["key"]) for _ in range(3)]
        assert [answer.status_code for answer in limited_answers] == [200, 200, 429]
        usages += [answer.json()["usage"] for answer in limited_answers[:2]]
        assert gateway.chat(budgeted["key"], model="no-such-model").status_code == 404

        stats = stats_of(gateway, requests_are(9))

    prompt = sum(usage["prompt_tokens"] for usage in usages)
    completion = sum(usage["completion_tokens"] for usage in usages)
    totals = stats["totals"]
    assert (totals["requests"], totals["errors"], totals["client_errors"]) == (9, 0, 2)
    assert stats["rate_limited"] == {"requests": 1, "tokens": 0, "budget": 0}
    [demo, other] = stats["models"]
    assert (demo["model"], demo["requests"]) == ("demo", 8)  # the 429 asked for demo too
    assert (demo["prompt_tokens"], demo["completion_tokens"]) == (prompt, completion)
    assert demo["cost_usd"] == pytest.approx(prompt + completion)
    assert (other["model"], other["requests"]) == ("other", 1)  # the client's unknown name

    keys = {row["id"]: row for row in stats["keys"]}
    team_a = keys[budgeted["id"]]
    team_a_tokens = sum(usage["total_tokens"] for usage in usages[:5])
    assert team_a["name"] == "team a" and team_a["requests"] == 6  # the 404 too
    assert team_a["cost_usd"] == pytest.approx(team_a_tokens)
    assert team_a["spend_usd"] == pytest.approx(team_a_tokens)
    assert team_a["budget_used"] == pytest.approx(team_a_tokens / 1000.0, abs=1e-4)
    assert keys[limited["id"]]["requests"] == 3
    assert keys[limited["id"]]["max_budget_usd"] is None

    [deployment] = stats["deployments"]
    assert (deployment["id"], deployment["state"], deployment["attempts"]) == (
        "demo#0",
        "closed",
        7,
    )
    assert (
        stats["series"]["requests"][-2:] in ([0, 9], [9, 0])
        or sum(stats["series"]["requests"]) == 9
    )
    assert stats["sources"]["reachable"] and stats["sources"]["workers"] == 1


def test_a_failing_deployment_shows_its_cooldown_and_failures(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/v1"
    models = {"broken": {"provider": "openai", "model": "gpt-4o-mini", "base_url": closed,
                         "max_retries": 0}}  # fmt: skip
    with running_keyed_gateway(tmp_path, models=models) as gateway:
        key = gateway.create_key()["key"]
        codes = [gateway.chat(key, model="broken").status_code for _ in range(3)]
        stats = stats_of(gateway, requests_are(3))

    assert codes == [502] * 3

    [deployment] = stats["deployments"]
    assert (deployment["attempts"], deployment["failed"], deployment["error_rate"]) == (3, 3, 1.0)
    assert deployment["state"] == "open" and deployment["cooldown_left_s"] > 0
    assert stats["totals"]["errors"] == 3 and stats["totals"]["error_rate"] == 1.0


def test_two_workers_answer_with_both_workers_requests(tmp_path):
    with running_keyed_gateway(tmp_path, extra_args=("--workers", "2")) as gateway:
        key = gateway.create_key()["key"]
        for n in range(30):
            with httpx.Client(base_url=gateway.url) as fresh:  # spread over both workers
                body = {"model": "demo", "messages": [{"role": "user", "content": f"q{n}"}]}
                headers = {"authorization": f"Bearer {key}"}
                assert fresh.post("/v1/chat/completions", json=body, headers=headers).is_success
        # Whichever worker answers counts both, once each has published (every 2 s) and
        # its last summary (reused for 1 s) is stale: then five reads in a row agree.
        deadline = time.monotonic() + 15
        answers: list[dict] = []
        while len(answers) < 5 and time.monotonic() < deadline:
            stats = stats_of(gateway, lambda stats: True)
            answers = [*answers, stats] if stats["totals"]["requests"] == 30 else []

    assert [stats["totals"]["requests"] for stats in answers] == [30] * 5
    assert answers[-1]["sources"]["workers"] == 2  # both served some of the 30
    assert {stats["sources"]["board"] for stats in answers} == {"workers"}


def test_instances_sharing_redis_answer_with_every_instances_requests(
    tmp_path, redis_stack_url, redis_client
):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        running_keyed_gateway(tmp_path / "a", redis_url=redis_stack_url) as first,
        running_keyed_gateway(tmp_path / "b", redis_url=redis_stack_url) as second,
    ):
        key = first.create_key()["key"]  # one key store: both instances know it
        for _ in range(4):
            assert first.chat(key).status_code == 200
        for _ in range(3):
            assert second.chat(key).status_code == 200
        seen_by_first = stats_of(first, requests_are(7))
        seen_by_second = stats_of(second, requests_are(7))

    for stats in (seen_by_first, seen_by_second):
        assert stats["totals"]["requests"] == 7
        assert stats["sources"] == {"board": "redis", "reachable": True, "workers": 2}
        assert stats["keys"][0]["requests"] == 7


def test_an_open_gateway_shows_its_figures_without_a_key(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("models: [{name: demo, deployments: [{provider: demo, model: demo}]}]\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = ferrogate_command("serve", "--port", str(port), "--config", str(config))
    with running(serve, f"{url}/health", {"FERROGATE_MASTER_KEY": ""}):
        body = {"model": "demo", "messages": [{"role": "user", "content": "hi"}]}
        assert httpx.post(f"{url}/v1/chat/completions", json=body).status_code == 200
        deadline = time.monotonic() + 10
        while (stats := httpx.get(f"{url}/admin/stats").json())["totals"]["requests"] != 1:
            assert time.monotonic() < deadline, stats
            time.sleep(0.1)
        assert httpx.get(f"{url}/admin/keys").status_code == 403  # the rest stays off
