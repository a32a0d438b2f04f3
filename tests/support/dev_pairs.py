"""The shared cache dev pairs, which CI places beside the clone as ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path

DEV_PAIRS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cache_pairs_dev.jsonl"


def load_dev_pairs() -> list[dict]:
    """Each pair: a, b, same (bool), kind. Missing data fails loudly rather than skipping."""
    return [json.loads(line) for line in DEV_PAIRS.read_text().splitlines() if line.strip()]
