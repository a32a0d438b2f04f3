"""What only the Anthropic adapter shows through the real gateway (Granian) and the mock.

The scenarios every provider shares are in tests/conformance/.
"""

from __future__ import annotations

import openai
import pytest

from tests.conformance.scenarios import HI, WEATHER_TOOL

from .deployment import MODEL


def test_overloaded_is_a_503_that_still_names_the_529(stack):
    messages = [{"role": "user", "content": "[error:529]"}]

    with pytest.raises(openai.InternalServerError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert caught.value.body["code"] == "overloaded"
    assert caught.value.response.headers["x-ferrogate-upstream-status"] == "529"
    assert caught.value.body["message"] == "Overloaded"


def test_completion_id_keeps_anthropics_message_id(stack):
    completion = stack.client().chat.completions.create(model=MODEL, messages=HI)

    assert completion.id.startswith("chatcmpl-msg_")


def test_system_and_developer_text_becomes_anthropics_system_prompt(stack):
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "developer", "content": "Use metric units."},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "answer"},
        {"role": "user", "content": "[echo] second"},
    ]

    completion = stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert completion.choices[0].message.content == (
        "system=Be brief.\n\nUse metric units.; turns=3; last=second"
    )


def test_consecutive_user_messages_reach_anthropic_as_one_turn(stack):
    messages = [
        {"role": "user", "content": "first"},
        {"role": "user", "content": "[echo] second"},
    ]

    completion = stack.client().chat.completions.create(model=MODEL, messages=messages)

    assert completion.choices[0].message.content == "system=none; turns=1; last=first second"


def test_two_tool_results_go_back_in_one_user_turn(stack):
    calls = [
        {
            "id": f"toolu_{n}",
            "type": "function",
            "function": {"name": "get_weather", "arguments": "{}"},
        }
        for n in (1, 2)
    ]
    messages = [
        *HI,
        {"role": "assistant", "content": None, "tool_calls": calls},
        {"role": "tool", "tool_call_id": "toolu_1", "content": "sunny"},
        {"role": "tool", "tool_call_id": "toolu_2", "content": "windy"},
    ]

    completion = stack.client().chat.completions.create(
        model=MODEL, messages=messages, tools=[WEATHER_TOOL]
    )

    assert completion.choices[0].message.content == "The tool said: windy"


def test_parameter_anthropic_cannot_honour_is_refused_before_the_call(stack):
    with pytest.raises(openai.BadRequestError) as caught:
        stack.client().chat.completions.create(model=MODEL, messages=HI, n=2)

    assert caught.value.body["param"] == "n"
