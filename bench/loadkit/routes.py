"""Where each kind of request goes: the upstream's path for it, and the gateway's model for it.

Kinds: "chat" (the JSON answer), "stream" (the SSE answer) and "slow" (the JSON answer after
50 ms). The Python mock reads the body, so all its kinds share /v1; nginx cannot, so each
kind has a path of its own (loadkit.nginx_mock), and the gateway one model per kind whose
deployment has that path as base URL: each request still takes the gateway's real route
(OpenAI provider, stream relay) to the upstream answer it is measured with.
"""

from dataclasses import dataclass

MODEL = "bench-model"
KINDS = ("chat", "stream", "slow")
PYTHON_PREFIXES = {"chat": "/v1", "stream": "/v1"}  # no 50 ms answer: it has one latency for all


@dataclass(frozen=True)
class Route:
    url: str  # the chat completions endpoint
    model: str = MODEL  # the body's model


def gateway_model(kind: str) -> str:
    return MODEL if kind == "chat" else f"{MODEL}-{kind}"
