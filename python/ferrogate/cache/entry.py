"""What the semantic tiers store and hand back: one cached answer and how it matched."""

from __future__ import annotations

from dataclasses import dataclass

import orjson


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    prompt: str  # the user turn it answered, for the hit guard
    body: bytes  # the OpenAI `chat.completion` JSON that was served
    expires_at: float  # unix seconds

    def to_bytes(self) -> bytes:
        return orjson.dumps(
            {"prompt": self.prompt, "body": self.body.decode(), "expires_at": self.expires_at}
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> CachedAnswer:
        raw = orjson.loads(data)
        return cls(raw["prompt"], raw["body"].encode(), raw["expires_at"])


@dataclass(frozen=True, slots=True)
class SemanticHit:
    answer: CachedAnswer
    similarity: float  # cosine similarity of the two user turns, 1.0 = identical
