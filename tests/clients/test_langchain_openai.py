"""LangChain's `ChatOpenAI`, unmodified, pointed at Ferrogate by `base_url`."""

from __future__ import annotations

import asyncio
import functools
from typing import Literal

from langchain_core.messages import AIMessageChunk, HumanMessage, ToolMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field

from ferrogate.providers.demo.answer import answer_for

CLIENT_KEY = "sk-client-test"  # the gateway has no client auth configured; any key passes
PROMPT = "What does a gateway do?"
WEATHER_ASK = "What is the weather in Paris?"
MOCK_TOOL_ARGS = {"location": "Paris", "unit": "celsius"}  # what the mock upstream calls with


class GetWeather(BaseModel):
    """Get the current weather in a city."""

    location: str = Field(description="City name")
    unit: Literal["celsius", "fahrenheit"] = "celsius"


LOOKUP_TIME = {
    "type": "function",
    "function": {
        "name": "lookup_time",
        "description": "Current local time in a city.",
        "parameters": {
            "type": "object",
            "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
            "required": ["location"],
        },
    },
}


def chat(base_url: str, model: str, **kwargs) -> ChatOpenAI:
    return ChatOpenAI(base_url=base_url, api_key=CLIENT_KEY, model=model, max_retries=0, **kwargs)


def joined(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    return functools.reduce(lambda whole, chunk: whole + chunk, chunks)


def test_invoke_returns_the_demo_answer_with_usage(gateway_v1):
    message = chat(gateway_v1, "demo").invoke(PROMPT)

    assert message.content == answer_for(PROMPT)
    assert message.response_metadata["finish_reason"] == "stop"
    assert message.response_metadata["model_name"] == "demo"
    assert message.usage_metadata["output_tokens"] > 0
    assert message.usage_metadata["total_tokens"] == (
        message.usage_metadata["input_tokens"] + message.usage_metadata["output_tokens"]
    )


def test_stream_chunks_join_to_the_invoked_answer_and_carry_usage(gateway_v1):
    model = chat(gateway_v1, "demo", stream_usage=True)
    whole = model.invoke(PROMPT)

    chunks = list(model.stream(PROMPT))

    assert len(chunks) > 3
    streamed = joined(chunks)
    assert streamed.content == whole.content
    assert streamed.usage_metadata == whole.usage_metadata


def test_async_stream_joins_to_the_invoked_answer(gateway_v1):
    model = chat(gateway_v1, "demo")

    async def collect() -> list[AIMessageChunk]:
        return [chunk async for chunk in model.astream(PROMPT)]

    assert joined(asyncio.run(collect())).content == answer_for(PROMPT)


def test_pydantic_tool_comes_back_as_a_tool_call_with_parsed_args(gateway_v1):
    message = chat(gateway_v1, "mock-gpt").bind_tools([GetWeather]).invoke(WEATHER_ASK)

    assert [(call["name"], call["args"]) for call in message.tool_calls] == [
        ("GetWeather", MOCK_TOOL_ARGS)
    ]
    assert message.tool_calls[0]["id"]
    assert message.response_metadata["finish_reason"] == "tool_calls"


def test_dict_tool_comes_back_as_a_tool_call_with_parsed_args(gateway_v1):
    message = chat(gateway_v1, "mock-gpt").bind_tools([LOOKUP_TIME]).invoke(WEATHER_ASK)

    assert [(call["name"], call["args"]) for call in message.tool_calls] == [
        ("lookup_time", MOCK_TOOL_ARGS)
    ]


def test_streamed_tool_call_chunks_join_to_the_same_call(gateway_v1):
    model = chat(gateway_v1, "mock-gpt").bind_tools([GetWeather])

    streamed = joined(list(model.stream(WEATHER_ASK)))

    assert [(call["name"], call["args"]) for call in streamed.tool_calls] == [
        ("GetWeather", MOCK_TOOL_ARGS)
    ]


def test_tool_result_sent_back_gets_a_final_answer(gateway_v1):
    model = chat(gateway_v1, "mock-gpt").bind_tools([GetWeather])
    ask = HumanMessage(WEATHER_ASK)
    call = model.invoke([ask])
    result = ToolMessage("18 degrees and sunny", tool_call_id=call.tool_calls[0]["id"])

    answer = model.invoke([ask, call, result])

    assert answer.tool_calls == []
    assert answer.content == "The tool said: 18 degrees and sunny"
