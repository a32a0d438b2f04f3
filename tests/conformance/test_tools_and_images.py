"""Tool round trips and image input through every provider."""

from __future__ import annotations

import json

from .scenarios import HI, TOOL_ARGUMENTS, WEATHER_TOOL, image_message


def _round_trip(target, assistant: dict, result: str):
    """Send the assistant's tool call back with its result, as a client would."""
    call_id = assistant["tool_calls"][0]["id"]
    followup = [*HI, assistant, {"role": "tool", "tool_call_id": call_id, "content": result}]
    return target.client().chat.completions.create(
        model=target.model, messages=followup, tools=[WEATHER_TOOL]
    )


def _streamed_call(target) -> tuple[dict, list[str], list[str]]:
    """The tool call as a client assembles it from the stream, its argument pieces, the finishes."""
    stream = target.client().chat.completions.create(
        model=target.model, messages=HI, tools=[WEATHER_TOOL], stream=True
    )
    call = {"id": "", "type": "function", "function": {"name": "", "arguments": ""}}
    pieces, finishes = [], []
    for chunk in stream:
        if not chunk.choices:
            continue  # the usage chunk
        for delta_call in chunk.choices[0].delta.tool_calls or []:
            call["id"] += delta_call.id or ""
            call["function"]["name"] += delta_call.function.name or ""
            if delta_call.function.arguments:
                pieces.append(delta_call.function.arguments)
        if chunk.choices[0].finish_reason:
            finishes.append(chunk.choices[0].finish_reason)
    call["function"]["arguments"] = "".join(pieces)
    return call, pieces, finishes


def test_tool_call_round_trip(target):
    first = target.client().chat.completions.create(
        model=target.model, messages=HI, tools=[WEATHER_TOOL]
    )

    message = first.choices[0].message
    assert first.choices[0].finish_reason == "tool_calls"
    (call,) = message.tool_calls
    assert call.type == "function" and call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == TOOL_ARGUMENTS

    # The SDK's own message object, passed back as it is (no `content` key at all).
    second = _round_trip(target, message.model_dump(exclude_none=True), "18C and sunny")

    assert second.choices[0].message.content == "The tool said: 18C and sunny"
    assert second.choices[0].finish_reason == "stop"


def test_streamed_tool_call_assembles_to_the_same_call(target):
    call, pieces, finishes = _streamed_call(target)

    assert call["function"]["name"] == "get_weather"
    assert json.loads(call["function"]["arguments"]) == TOOL_ARGUMENTS
    assert finishes == ["tool_calls"]
    if target.provider.streams_tool_arguments_in_pieces:
        assert len(pieces) > 2
    else:
        assert len(pieces) == 1


def test_streamed_tool_call_round_trips_by_its_id(target):
    # Gemini's thought signature rides in the call id; a streamed id must carry it too.
    call, _, _ = _streamed_call(target)

    answer = _round_trip(
        target, {"role": "assistant", "content": None, "tool_calls": [call]}, "rain"
    )

    assert answer.choices[0].message.content == "The tool said: rain"


def test_image_input_reaches_the_provider(target):
    completion = target.client().chat.completions.create(
        model=target.model, messages=image_message()
    )

    assert completion.choices[0].message.content == "I see 1 image."


def test_image_by_url_reaches_the_provider(target):
    messages = image_message("https://example.com/cat.png")

    completion = target.client().chat.completions.create(model=target.model, messages=messages)

    assert completion.choices[0].message.content == "I see 1 image."
