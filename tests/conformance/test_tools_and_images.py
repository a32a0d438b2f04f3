"""Tool round trips and image input through every provider."""

from __future__ import annotations

import json

from .scenarios import HI, TOOL_ARGUMENTS, WEATHER_TOOL, image_message


def test_tool_call_round_trip(target):
    client = target.client()
    first = client.chat.completions.create(model=target.model, messages=HI, tools=[WEATHER_TOOL])

    message = first.choices[0].message
    assert first.choices[0].finish_reason == "tool_calls"
    (call,) = message.tool_calls
    assert call.type == "function" and call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == TOOL_ARGUMENTS

    followup = [
        *HI,
        {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
        {"role": "tool", "tool_call_id": call.id, "content": "18C and sunny"},
    ]
    second = client.chat.completions.create(
        model=target.model, messages=followup, tools=[WEATHER_TOOL]
    )

    assert second.choices[0].message.content == "The tool said: 18C and sunny"
    assert second.choices[0].finish_reason == "stop"


def test_streamed_tool_call_assembles_to_the_same_call(target):
    stream = target.client().chat.completions.create(
        model=target.model, messages=HI, tools=[WEATHER_TOOL], stream=True
    )

    name, arguments, finish = "", "", None
    for chunk in stream:
        if not chunk.choices:
            continue  # the usage chunk
        for delta_call in chunk.choices[0].delta.tool_calls or []:
            name += delta_call.function.name or ""
            arguments += delta_call.function.arguments or ""
        finish = chunk.choices[0].finish_reason or finish

    assert name == "get_weather"
    assert json.loads(arguments) == TOOL_ARGUMENTS
    assert finish == "tool_calls"


def test_image_input_reaches_the_provider(target):
    completion = target.client().chat.completions.create(
        model=target.model, messages=image_message()
    )

    assert completion.choices[0].message.content == "I see 1 image."


def test_image_by_url_reaches_the_provider(target):
    messages = image_message("https://example.com/cat.png")

    completion = target.client().chat.completions.create(model=target.model, messages=messages)

    assert completion.choices[0].message.content == "I see 1 image."
