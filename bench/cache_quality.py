"""Semantic cache quality: hit rate on paraphrases and false hits on hard negatives.

Run with ``.venv/bin/python bench/cache_quality.py [--pairs FILE] [--rounds N]``. Each pair's
two turns are embedded with the local embedder; a pair is served at threshold t when its
cosine similarity is at least t and, with the guard on, the hit guard allows it. Paraphrases
(same=true) should be served, hard negatives (same=false) should not. The recommended default
is the lowest threshold that meets the false-hit target with the guard on and the paraphrase
target too. The guard's time per check is measured last; nothing asserts on timings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ferrogate.cache.embedders import LocalEmbedder
from ferrogate.cache.guard import HitGuard

DEFAULT_PAIRS = Path(__file__).resolve().parents[1].parent / "shared/data/cache_pairs_dev.jsonl"
THRESHOLDS = [round(0.70 + 0.02 * i, 2) for i in range(15)]
MAX_FALSE_HITS = 1 / 40
MIN_PARAPHRASE_HITS = 0.60
ROW = "{:>6}  {:>16}  {:>16}  {:>16}  {:>16}"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool
    kind: str
    similarity: float
    guard_allows: bool


async def similarities(pairs: list[dict]) -> np.ndarray:
    embedder = LocalEmbedder()
    left = await embedder.embed([p["a"] for p in pairs])
    right = await embedder.embed([p["b"] for p in pairs])
    return np.einsum("ij,ij->i", left, right)  # rows are unit length: dot == cosine


def served(pairs: list[Pair], threshold: float, guarded: bool) -> list[Pair]:
    return [p for p in pairs if p.similarity >= threshold and (p.guard_allows or not guarded)]


def rate(hits: list[Pair], of: list[Pair]) -> str:
    return f"{len(hits)}/{len(of)} {len(hits) / max(len(of), 1):6.1%}"


def print_table(pairs: list[Pair]) -> float | None:
    same = [p for p in pairs if p.same]
    negatives = [p for p in pairs if not p.same]
    print(ROW.format("t", "para hits off", "para hits on", "false hits off", "false hits on"))
    recommended = None
    for t in THRESHOLDS:
        cells = [rate([p for p in served(group, t, g)], group) for group in (same, negatives)
                 for g in (False, True)]  # fmt: skip
        print(ROW.format(t, cells[0], cells[1], cells[2], cells[3]))
        false_on = len(served(negatives, t, True)) / max(len(negatives), 1)
        para_on = len(served(same, t, True)) / max(len(same), 1)
        if recommended is None and false_on <= MAX_FALSE_HITS and para_on >= MIN_PARAPHRASE_HITS:
            recommended = t
    return recommended


def print_by_kind(pairs: list[Pair]) -> None:
    print("\nper kind: similarity, and what the guard says")
    by_kind: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        by_kind[p.kind].append(p)
    for kind, group in sorted(by_kind.items()):
        sims = [p.similarity for p in group]
        allowed = sum(p.guard_allows for p in group)
        print(f"  {kind:<11} n={len(group):>2}  sim {min(sims):.3f}..{max(sims):.3f}"
              f"  guard allows {allowed}/{len(group)}")  # fmt: skip
    print("\nhard negatives the guard lets through, by similarity:")
    for p in sorted(
        (p for p in pairs if not p.same and p.guard_allows), key=lambda p: -p.similarity
    ):
        print(f"  {p.similarity:.3f}  {p.a!r} / {p.b!r}")


def time_guard(guard: HitGuard, pairs: list[Pair], rounds: int) -> None:
    per_check = []
    for _ in range(rounds):
        start = time.perf_counter()
        for p in pairs:
            guard.check(p.a, p.b)
        per_check.append((time.perf_counter() - start) / len(pairs))
    median, best = statistics.median(per_check) * 1e6, min(per_check) * 1e6
    print(f"\nguard: median {median:.1f} µs per check, best {best:.1f} µs", end=" ")
    print(f"({rounds} rounds over {len(pairs)} pairs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    raw = [json.loads(line) for line in args.pairs.read_text().splitlines() if line.strip()]
    guard = HitGuard()
    sims = asyncio.run(similarities(raw))
    pairs = [
        Pair(r["a"], r["b"], r["same"], r["kind"], float(s), guard.check(r["a"], r["b"]).allowed)
        for r, s in zip(raw, sims, strict=True)
    ]
    print(f"{args.pairs.name}: {sum(p.same for p in pairs)} paraphrases, "
          f"{sum(not p.same for p in pairs)} hard negatives; guard off / on\n")  # fmt: skip
    recommended = print_table(pairs)
    print_by_kind(pairs)
    if recommended is None:
        targets = (
            f"false hits <= {MAX_FALSE_HITS:.1%}, paraphrase hits >= {MIN_PARAPHRASE_HITS:.0%}"
        )
        print(f"\nno threshold meets both targets ({targets})")
    else:
        print(f"\nrecommended default threshold: {recommended:.2f} (lowest meeting both targets)")
    time_guard(guard, pairs, args.rounds)


if __name__ == "__main__":
    main()
