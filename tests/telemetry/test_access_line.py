"""The optional access line: one INFO line per request on `ferrogate.access`, no text."""

from __future__ import annotations

import asyncio
import logging

import orjson

from ferrogate.config import parse_config
from ferrogate.gateway import Gateway, Request

CONFIG = """
models: [{name: demo, deployments: [{provider: demo, model: demo}]}]
telemetry: {access_log: true, metrics: false}
"""


def test_one_access_line_per_request_without_prompt_text(caplog):
    gateway = Gateway.from_config(parse_config(CONFIG, "c.yaml", {}), master_key="")
    body = orjson.dumps({"model": "demo", "messages": [{"role": "user", "content": "secret plan"}]})
    headers = {"content-type": "application/json", "x-request-id": "req-42"}
    with caplog.at_level(logging.INFO, logger="ferrogate.access"):
        asyncio.run(gateway.handle(Request("POST", "/v1/chat/completions", headers, body)))
        asyncio.run(gateway.handle(Request("GET", "/nowhere", {}, b"")))
    lines = [r.getMessage() for r in caplog.records if r.name == "ferrogate.access"]
    assert len(lines) == 2
    assert lines[0].startswith("req-42 chat demo 200 completed")
    assert " 404 failed" in lines[1]
    assert all("secret plan" not in line for line in lines)


def test_a_model_name_cannot_forge_or_colour_access_lines(caplog):
    gateway = Gateway.from_config(parse_config(CONFIG, "c.yaml", {}), master_key="")
    forged = "demo\nreq-1 chat demo 200 completed \x1b[31m"
    body = orjson.dumps({"model": forged, "messages": [{"role": "user", "content": "hi"}]})
    with caplog.at_level(logging.INFO, logger="ferrogate.access"):
        asyncio.run(gateway.handle(Request("POST", "/v1/chat/completions", {}, body)))
    [line] = [r.getMessage() for r in caplog.records if r.name == "ferrogate.access"]
    assert "\n" not in line and "\x1b" not in line
    assert " 404 failed" in line
