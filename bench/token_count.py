"""Token counting: ``ferrogate.core.count_tokens`` on short, medium and long prompts.

Run with ``.venv/bin/python bench/token_count.py [--rounds N] [--round-ms MS]``. Each row prints
the median time per call over several rounds, the tokens counted per second, and, for the
same text, tiktoken's ``encode_ordinary`` (when tiktoken is installed; it is fed the tables the
Rust crate embeds, which are OpenAI's own files) and the ``len(text) / 4`` rule of thumb with
its error. The first lines show what the first call in a process pays to decode each table.
Nothing asserts on timings: machines differ, the table is for reading.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ferrogate.core import count_tokens
from ferrogate.limits.token_count import prompt_tokens

ENCODINGS = ("o200k_base", "cl100k_base")
TABLE_URL = "https://openaipublic.blob.core.windows.net/encodings/{}.tiktoken"
ROW = "{:<26} {:>8} {:>11} {:>11} {:>11} {:>10} {:>9}"
PARAGRAPH = (
    "Rate limits protect the upstream providers from bursts, and budgets protect the owner "
    "of each key from surprises. A gateway counts tokens before it forwards a request:\n"
    "```python\nbucket.try_acquire(cost=1_024, now=time.monotonic())  # (True, 0.0, 976.0)\n```\n"
    "Les limites s'appliquent aussi aux réponses en flux; 日本語のテキストも数えます。\n\n"
)


def prompts() -> list[tuple[str, str]]:
    return [
        ("short (1 sentence)", "What is the capital of France? Answer in one word."),
        ("medium (4 KiB)", (PARAGRAPH * 20)[:4096]),
        ("long (400 KiB)", (PARAGRAPH * 2000)[:409_600]),
    ]


# ---- timing ------------------------------------------------------------------------------


def median_ns(call: Callable[[], object], rounds: int, round_ns: int) -> float:
    """Median ns per call over `rounds` rounds of about `round_ns` each."""
    loops = 1
    while (elapsed := time_round(call, loops) * loops) < round_ns / 10:
        loops *= 10
    loops = max(1, int(loops * round_ns / max(elapsed, 1.0)))
    return statistics.median(time_round(call, loops) for _ in range(rounds))


def time_round(call: Callable[[], object], loops: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(loops):
        call()
    return (time.perf_counter_ns() - start) / loops


def human(ns: float) -> str:
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.2f} {unit}"
    return f"{ns:.0f} ns"


def per_second(tokens: int, ns: float) -> str:
    return f"{tokens / ns * 1e3:.1f} M/s"


# ---- tiktoken, offline ---------------------------------------------------------------------


def tiktoken_encodings() -> dict[str, Any]:
    """tiktoken with the crate's tables placed in its download cache; empty when unavailable."""
    try:
        import tiktoken
    except ImportError:
        return {}
    cargo_home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    tables = sorted(cargo_home.glob("registry/src/*/bpe-openai-*/data"))
    if not tables:
        return {}
    cache = Path("/tmp/ferrogate-bench-tiktoken")
    cache.mkdir(exist_ok=True)
    for name in ENCODINGS:
        blob = cache / hashlib.sha1(TABLE_URL.format(name).encode()).hexdigest()
        if not blob.exists():
            blob.write_bytes(gzip.decompress((tables[-1] / f"{name}.tiktoken.gz").read_bytes()))
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    return {name: tiktoken.get_encoding(name) for name in ENCODINGS}


# ---- report ------------------------------------------------------------------------------


def first_call_ms() -> dict[str, float]:
    """What the first count in the process pays per encoding: decoding the embedded table."""
    costs = {}
    for name in ENCODINGS:
        start = time.perf_counter()
        count_tokens("", name)
        costs[name] = (time.perf_counter() - start) * 1e3
    return costs


def report_row(label: str, text: str, encoding: str, reference: Any, timing: tuple) -> str:
    tokens = count_tokens(text, encoding)
    rust = median_ns(lambda: count_tokens(text, encoding), *timing)
    estimate = median_ns(lambda: len(text) // 4, *timing)
    error = f"{(len(text) // 4 - tokens) / tokens:+.0%}"
    if reference is None:
        tiktoken_cell = "-"
    else:
        assert len(reference.encode_ordinary(text)) == tokens, "tiktoken disagrees"
        tiktoken_cell = human(median_ns(lambda: reference.encode_ordinary(text), *timing))
    rate = per_second(tokens, rust)
    return ROW.format(label, tokens, human(rust), rate, tiktoken_cell, human(estimate), error)


def chat_body() -> dict:
    messages = [{"role": "system", "content": "You are a helpful assistant."}]
    for i in range(10):
        messages.append({"role": ("user", "assistant")[i % 2], "content": PARAGRAPH * 2})
    return {"model": "gpt-4o-mini", "messages": messages, "max_tokens": 256}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds per case (default 7)")
    parser.add_argument("--round-ms", type=float, default=50, help="length of a round (50)")
    args = parser.parse_args()
    timing = (args.rounds, int(args.round_ms * 1e6))

    for name, ms in first_call_ms().items():
        print(f"first call, {name} table decode: {ms:.1f} ms")
    references = tiktoken_encodings()
    print()
    header = ROW.format("prompt", "tokens", "rust", "rust rate", "tiktoken", "len/4", "len/4 err")
    print(header, "-" * len(header), sep="\n")
    for encoding in ENCODINGS:
        print(f"[{encoding}]")
        for label, text in prompts():
            print(report_row(label, text, encoding, references.get(encoding), timing))

    body = chat_body()
    ns = median_ns(lambda: prompt_tokens(body, "gpt-4o-mini"), *timing)
    tokens = prompt_tokens(body, "gpt-4o-mini")
    print(f"\nprompt_tokens, 11-message chat body: {tokens} tokens in {human(ns)}")
    print(f"median of {args.rounds} rounds of ~{args.round_ms:g} ms per cell")
    if not references:
        print("tiktoken column empty: tiktoken or the crate's tables were not found")


if __name__ == "__main__":
    main()
