"""/ui in headless Chromium against a real gateway and the mock upstream: an operator logs
in, and the panels show the figures of the traffic this test sent (counted here, from what
was sent and the usage in each answer)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import pytest

from tests.dashboard.driver import drive, output_dir
from tests.dashboard.stack import MASTER_KEY, gateway
from tests.dashboard.traffic import (
    LIMITED_RPM,
    PRICES,
    SERVED_MODELS,
    TEAM_BUDGET_USD,
    TEAM_NAME,
    Sent,
    send,
)

WRONG_KEY = "mk-not-the-one"


def usd(value: float) -> str:
    return f"${value:.4f}"


def count(value: int) -> str:
    return f"{value:,}"


def percent(ratio: float) -> str:
    """As the page writes a ratio /admin/stats gave to four places."""
    shown = round(ratio, 4) * 100
    return "0 %" if shown == 0 else f"{shown:.{2 if shown < 1 else 1}f} %"


def drive_traffic(http: httpx.Client) -> tuple[Sent, dict, dict]:
    """Chats and streams on two models, 429s from a small rpm and 404s: what was sent."""
    admin = {"authorization": f"Bearer {MASTER_KEY}"}

    def create(**fields) -> tuple[str, str]:
        answer = http.post("/admin/keys", json=fields, headers=admin)
        assert answer.status_code == 201, answer.text
        return answer.json()["id"], answer.json()["key"]

    team = create(max_budget_usd=TEAM_BUDGET_USD, metadata={"name": TEAM_NAME})
    limited = create(rpm=LIMITED_RPM)
    sent = Sent()
    statuses = [send(http, sent, team, "chat", n) for n in range(5)]
    statuses += [send(http, sent, team, "chat", n, stream=True) for n in range(2)]
    statuses += [send(http, sent, team, "fast", n) for n in range(3)]
    statuses += [send(http, sent, limited, "fast", n) for n in range(LIMITED_RPM + 2)]
    statuses += [send(http, sent, team, "no-such-model", n) for n in range(2)]
    assert statuses == [200] * (10 + LIMITED_RPM) + [429, 429, 404, 404]
    ask_twice(http, sent, team)
    return sent, {"id": team[0]}, {"id": limited[0]}


def ask_twice(http: httpx.Client, sent: Sent, team: tuple[str, str]) -> None:
    """A question asked again until the cache answers it (the cache is filled just after an
    answer, off the request path), then once more in other words."""
    question = "What is the capital city of France?"
    exact_hits = sent.cache.get("hit-exact", 0)  # the streams above may have had some
    assert send(http, sent, team, "chat", 0, content=question) == 200
    deadline = time.monotonic() + 10
    while sent.cache.get("hit-exact", 0) == exact_hits and time.monotonic() < deadline:
        assert send(http, sent, team, "chat", 0, content=question) == 200
    assert sent.cache.get("hit-exact", 0) == exact_hits + 1
    assert send(http, sent, team, "chat", 0, content="Which city is the capital of France?") == 200


def test_an_operator_logs_in_and_sees_the_traffic_sent(tmp_path):
    settings = {
        "keys": {"sqlite_path": str(tmp_path / "keys.sqlite3")},
        "prices": PRICES,
        # Admission reserves this many output tokens against the budget (1024 by default,
        # a fifth of the team's budget): the mock answers with far fewer.
        "limits": {"expected_output_tokens": 64},
        "cache": {"enabled": True},
    }
    with gateway(tmp_path, MASTER_KEY, settings) as url, httpx.Client(base_url=url) as http:
        sent, team, limited = drive_traffic(http)
        refused = http.get("/admin/stats", headers={"authorization": f"Bearer {WRONG_KEY}"})
        assert refused.status_code == 401
        team_cost = usd(sent.keys[team["id"]].cost)
        keys_row = f'[data-testid=keys-table] tr[data-id="{team["id"]}"]'
        report = drive(
            url=url,
            scenario="keyed",
            masterKey=MASTER_KEY,
            wrongKey=WRONG_KEY,
            outputDir=str(output_dir()),
            waitFor=[
                ["[data-testid=traffic-requests]", count(sent.requests)],
                ["[data-testid=traffic-client-errors]", count(sent.client_errors)],
                [f"{keys_row} [data-col=cost]", team_cost],
                [f"{keys_row} [data-col=spend]", team_cost],  # settled after each answer
            ],
        )

    # Login: the form first, a wrong key refused with the gateway's own words, then the panels.
    assert report["loginShownFirst"] and not report["openBadgeBeforeLogin"]
    assert report["wrongKeyError"] == refused.json()["error"]["message"]
    assert report["formKeptAfterWrongKey"] and not report["panelsAfterWrongKey"]
    assert not report["loginAfterKey"] and report["logoutShown"]

    figures = report["read"]["figures"]
    assert figures["traffic-requests"] == count(sent.requests)
    assert figures["traffic-client-errors"] == count(sent.client_errors)
    assert figures["traffic-errors"] == "0"
    assert figures["rate-limited-requests"] == count(sent.rate_limited) == "2"
    assert (figures["rate-limited-tokens"], figures["rate-limited-budget"]) == ("0", "0")
    assert (figures["routing-retries"], figures["routing-fallbacks"]) == ("0", "0")
    assert figures["latency-end_to_end-p50"].endswith(" ms")
    assert figures["latency-time_to_first_token-p50"] != "—"  # the two streams
    assert report["read"]["charts"] >= 5
    lookups = sum(n for result, n in sent.cache.items() if result != "bypass")
    hits = {tier: sent.cache.get(f"hit-{tier}", 0) for tier in ("exact", "l1", "l2")}
    assert figures["cache-lookups"] == count(lookups)
    assert figures["cache-misses"] == count(sent.cache.get("miss", 0))
    assert figures["cache-hit-rate"] == percent(sum(hits.values()) / lookups)
    tiers = report["read"]["tables"]["cache-tiers"]
    for tier, hit_count in hits.items():
        assert tiers[f"hit-{tier}"]["hits"] == count(hit_count), tier

    tables = report["read"]["tables"]
    assert set(tables["models-table"]) == {*SERVED_MODELS, "other"}
    for model, usage in sent.models.items():
        row = tables["models-table"][model]
        assert row["requests"] == count(usage.requests), model
        assert (row["prompt_tokens"], row["completion_tokens"]) == (
            count(usage.prompt),
            count(usage.completion),
        ), model
        assert row["cost"] == usd(usage.cost), model
    assert sent.models["chat"].cost > 0

    team_usage = sent.keys[team["id"]]
    team_row = tables["keys-table"][team["id"]]
    assert team_row["name"] == TEAM_NAME  # shown as text, not markup
    assert team_row["requests"] == count(team_usage.requests)
    assert team_row["tokens"] == count(team_usage.prompt + team_usage.completion)
    assert team_row["cost"] == team_row["spend"] == usd(team_usage.cost)
    shown_pct = float(team_row["budget-pct"].removesuffix(" %"))
    assert shown_pct == pytest.approx(team_usage.cost / TEAM_BUDGET_USD * 100, abs=0.051)
    assert 0 < shown_pct < 100
    limited_row = tables["keys-table"][limited["id"]]
    assert limited_row["requests"] == count(LIMITED_RPM + 2)
    assert limited_row["cost"] == usd(sent.keys[limited["id"]].cost)
    assert limited_row["budget"] == "no budget"

    deployments = tables["deployments-table"]
    assert set(deployments) == set(sent.attempts) == {"chat#0", "fast#0"}
    for deployment, attempts in sent.attempts.items():
        assert deployments[deployment]["attempts"] == count(attempts)
        assert deployments[deployment]["state"] == "closed"
        assert deployments[deployment]["error_rate"] == "0 %"

    # The key stays in the tab: never in a URL, a cookie or localStorage.
    seen = report["seen"]
    assert report["storage"]["session"] == {"ferrogate.dashboard.masterKey": MASTER_KEY}
    assert report["storage"]["local"] == 0 and report["storage"]["cookie"] == ""
    assert not [u for u in seen["urls"] if MASTER_KEY in u or WRONG_KEY in u or "?" in u]
    assert set(seen["statsAuth"]) == {None, f"Bearer {WRONG_KEY}", f"Bearer {MASTER_KEY}"}
    # Only the requests this test made fail (the 401s, the aborted refreshes): no CSP refusal.
    assert seen["pageErrors"] == []
    assert all(e.startswith("Failed to load resource") for e in seen["consoleErrors"]), seen

    assert report["refreshed"], "the figures did not refresh by themselves"
    assert report["bannerText"].startswith("Refresh failed")
    assert report["panelsDuringOutage"]
    assert report["requestsDuringOutage"] == count(sent.requests)
    assert not report["loginAfterReload"]
    assert report["readAfterReload"]["figures"]["traffic-requests"] == count(sent.requests)

    assert report["dark"]["darkQuery"] and not report["light"]["darkQuery"]
    assert report["dark"]["background"] != report["light"]["background"]
    assert report["darkBadgeColors"] != report["read"]["badgeColors"]
    assert report["phone"]["scrollWidth"] <= report["phone"]["clientWidth"] == 390
    for path in report["screenshots"].values():
        assert Path(path).stat().st_size > 20_000, path  # a drawn page, not a blank one

    assert report["storageAfterLogout"]["session"] == {}
    assert not report["panelsAfterLogout"] and report["loginAfterLogoutReload"]


def test_an_open_gateway_shows_its_figures_without_a_form(tmp_path):
    with gateway(tmp_path, master_key="") as url, httpx.Client(base_url=url) as http:
        body = {"model": "chat", "messages": [{"role": "user", "content": "hi"}]}
        answers = [http.post("/v1/chat/completions", json=body) for _ in range(3)]
        assert [answer.status_code for answer in answers] == [200] * 3
        report = drive(
            url=url,
            scenario="open",
            outputDir=str(output_dir()),
            waitFor=[["[data-testid=traffic-requests]", "3"]],
        )

    assert report["modeShown"] and report["mode"] == "open gateway"
    assert not report["loginShown"] and not report["logoutShown"]
    assert report["read"]["tables"]["deployments-table"]["chat#0"]["attempts"] == "3"
    assert report["seen"]["statsAuth"] and set(report["seen"]["statsAuth"]) == {None}
    assert re.fullmatch(r"figures at .+ · 1 worker \(board: \w+\)", report["read"]["generatedAt"])
