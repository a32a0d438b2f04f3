// The Vercel AI SDK, unmodified, pointed at Ferrogate by base URL.
// Run by tests/clients/test_vercel_ai_sdk.py; by hand:
//   FERROGATE_BASE_URL=http://127.0.0.1:8080/v1 node --test
// The gateway needs the `demo` model, and `mock-gpt` in front of `ferrogate mock-upstream`.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

const baseURL = process.env.FERROGATE_BASE_URL;
assert.ok(baseURL, 'FERROGATE_BASE_URL must name the gateway, e.g. http://127.0.0.1:8080/v1');

const gateway = createOpenAI({ baseURL, apiKey: 'sk-client-test' });
// Since AI SDK 5, `gateway(id)` speaks OpenAI's Responses API; `.chat(id)` speaks
// /chat/completions, which is what Ferrogate serves. No `compatibility` setting exists any
// more: the chat model always asks for usage in streams (stream_options.include_usage).
const demo = gateway.chat('demo');
const mock = gateway.chat('mock-gpt');

const PROMPT = 'What does a gateway do?';
const WEATHER_ASK = 'What is the weather in Paris?';
const MOCK_TOOL_INPUT = { location: 'Paris', unit: 'celsius' }; // what the mock upstream calls with

const getWeather = tool({
  description: 'Get the current weather in a city.',
  inputSchema: z.object({ location: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
});

// streamText reports failures as stream parts instead of throwing; turn them back into errors.
async function drain(result) {
  const parts = [];
  for await (const part of result.fullStream) {
    if (part.type === 'error') throw part.error;
    parts.push(part);
  }
  return parts;
}

test('generateText returns the demo answer with usage', async () => {
  const result = await generateText({ model: demo, prompt: PROMPT, maxRetries: 0 });

  assert.ok(result.text.includes(`You said: "${PROMPT}"`), result.text);
  assert.equal(result.finishReason, 'stop');
  assert.equal(result.response.modelId, 'demo');
  assert.ok(result.usage.outputTokens > 0);
  assert.equal(result.usage.totalTokens, result.usage.inputTokens + result.usage.outputTokens);
});

test('streamText deltas join to the generated text and report the same usage', async () => {
  const whole = await generateText({ model: demo, prompt: PROMPT, maxRetries: 0 });

  const result = streamText({ model: demo, prompt: PROMPT, maxRetries: 0 });
  const deltas = (await drain(result)).filter((p) => p.type === 'text-delta').map((p) => p.text);

  assert.ok(deltas.length > 3, `only ${deltas.length} deltas`);
  assert.equal(deltas.join(''), whole.text);
  assert.equal(await result.finishReason, 'stop');
  const usage = await result.usage;
  assert.equal(usage.inputTokens, whole.usage.inputTokens);
  assert.equal(usage.outputTokens, whole.usage.outputTokens);
  assert.equal(usage.totalTokens, whole.usage.totalTokens);
});

test('generateText returns a declared tool as a typed tool call', async () => {
  const result = await generateText({
    model: mock,
    prompt: WEATHER_ASK,
    tools: { getWeather },
    maxRetries: 0,
  });

  assert.equal(result.finishReason, 'tool-calls');
  assert.deepEqual(
    result.toolCalls.map((call) => [call.toolName, call.input]),
    [['getWeather', MOCK_TOOL_INPUT]],
  );
  assert.ok(result.toolCalls[0].toolCallId);
});

test('streamText assembles the streamed tool call', async () => {
  const result = streamText({
    model: mock,
    prompt: WEATHER_ASK,
    tools: { getWeather },
    maxRetries: 0,
  });
  await drain(result);

  const calls = await result.toolCalls;
  assert.deepEqual(
    calls.map((call) => [call.toolName, call.input]),
    [['getWeather', MOCK_TOOL_INPUT]],
  );
  assert.equal(await result.finishReason, 'tool-calls');
});

test('an executed tool result goes back up and gets a final answer', async () => {
  const weather = tool({ ...getWeather, execute: async () => '18 degrees and sunny' });

  const result = await generateText({
    model: mock,
    prompt: WEATHER_ASK,
    tools: { getWeather: weather },
    stopWhen: stepCountIs(2),
    maxRetries: 0,
  });

  assert.equal(result.steps.length, 2);
  assert.equal(result.finishReason, 'stop');
  assert.ok(result.text.includes('18 degrees and sunny'), result.text);
  assert.ok(result.steps.every((step) => step.usage.totalTokens > 0));
});
