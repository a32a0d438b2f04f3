"""A validated OpenAI chat request as a Gemini GenerateContentRequest."""

from __future__ import annotations

from typing import Any

from ferrogate.errors import InvalidRequest
from ferrogate.providers.request_fields import array, stop_sequences

from .messages import Conversation
from .tools import gemini_tool_config, gemini_tools

# OpenAI request field -> GenerationConfig field, copied as they are.
_COPIED = {
    "temperature": "temperature",
    "top_p": "topP",
    "n": "candidateCount",
    "presence_penalty": "presencePenalty",
    "frequency_penalty": "frequencyPenalty",
    "seed": "seed",
}


def gemini_request(body: dict[str, Any]) -> dict[str, Any]:
    conversation = Conversation()
    for index, message in enumerate(body["messages"]):
        conversation.add(message, index)
    request: dict[str, Any] = {"contents": conversation.contents}
    if conversation.system:
        request["systemInstruction"] = {"parts": conversation.system}
    config = generation_config(body)
    if config:
        request["generationConfig"] = config
    tools = array(body.get("tools"), "tools")
    if tools:
        request["tools"] = gemini_tools(tools)
    tool_config = gemini_tool_config(body.get("tool_choice"))
    if tool_config:
        request["toolConfig"] = tool_config
    return request


def generation_config(body: dict[str, Any]) -> dict[str, Any]:
    config = {ours: body[key] for key, ours in _COPIED.items() if body.get(key) is not None}
    max_tokens = body.get("max_completion_tokens")
    if max_tokens is None:
        max_tokens = body.get("max_tokens")
    if max_tokens is not None:
        config["maxOutputTokens"] = max_tokens
    stop = stop_sequences(body.get("stop"))
    if stop:
        config["stopSequences"] = stop
    config.update(_response_format(body.get("response_format")))
    return config


def _response_format(response_format: Any) -> dict[str, Any]:
    kind = response_format.get("type") if isinstance(response_format, dict) else None
    if response_format is None or kind == "text":
        return {}
    if kind == "json_object":
        return {"responseMimeType": "application/json"}
    spec = response_format.get("json_schema") if kind == "json_schema" else None
    if isinstance(spec, dict):
        schema = spec.get("schema")
        if schema is None:
            return {"responseMimeType": "application/json"}
        # JSON Schema as OpenAI takes it; `responseSchema` would take only an OpenAPI subset.
        return {"responseMimeType": "application/json", "responseJsonSchema": schema}
    raise InvalidRequest(
        "`response_format` must be text, json_object or json_schema.", param="response_format"
    )
