"""Latency and CPU of the local cache embedder, with the tokenizer's padding reset or not.

Run with ``.venv/bin/python bench/cache_embedding.py [--calls N]``. The shipped tokenizer.json
pads every input to 128 tokens; the embedder resets padding to the longest input of a call.
This prints median and p90 wall time per call, and CPU per call (all threads of the process),
for one short prompt and for a batch of 8, both ways. Nothing asserts on timings.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from ferrogate.cache.embedders import LocalEmbedder

SHORT = "How do I cancel my subscription?"
BATCH = [
    "What's the weather like in London today?",
    "Write a Python function to reverse a string.",
    "How can I cancel my subscription?",
    "Convert 30 degrees Celsius to Fahrenheit.",
    "What is 15% of 80?",
    "Summarise the plot of Hamlet in two sentences.",
    "Which port does Redis listen on by default?",
    "Translate 'good morning' into Spanish.",
]
ROW = "{:<16} {:<9} {:>11} {:>11} {:>13}"


async def measure(embedder: LocalEmbedder, texts: list[str], calls: int) -> tuple[float, ...]:
    await embedder.warm_up()
    walls, cpus = [], []
    for _ in range(calls):
        wall, cpu = time.perf_counter(), time.process_time()
        await embedder.embed(texts)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    p90 = statistics.quantiles(walls, n=10)[-1]
    return statistics.median(walls), p90, statistics.mean(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per row (default 200)")
    calls = parser.parse_args().calls
    print(ROW.format("padding", "input", "median ms", "p90 ms", "CPU ms/call"))
    for label, pad_to in (("reset (dynamic)", None), ("fixed 128", 128)):
        embedder = LocalEmbedder(pad_to=pad_to)
        for name, texts in (("1 short", [SHORT]), ("batch 8", BATCH)):
            millis = [
                f"{seconds * 1e3:.2f}" for seconds in asyncio.run(measure(embedder, texts, calls))
            ]
            print(ROW.format(label, name, *millis))
        embedder.close()


if __name__ == "__main__":
    main()
