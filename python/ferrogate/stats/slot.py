"""What one worker saw in one slot of time (ten seconds): the figures the dashboard draws.

A slot holds counts only, so slots from any number of workers and instances merge by
addition; percentiles come from log histograms (`log_histogram`), merged the same way.
"""

from __future__ import annotations

from typing import Any

from ferrogate.telemetry.record import RequestRecord

from . import log_histogram

# Routes that are traffic: the dashboard's own polling, /metrics scrapes and health checks
# would otherwise show as requests.
TRAFFIC_ROUTES = frozenset({"chat", "embeddings"})
# Similarity is drawn from 0.5 up, in steps of 0.02; a candidate below 0.5 is in the first.
SIMILARITY_FLOOR = 0.5
SIMILARITY_STEP = 0.02
SIMILARITY_BINS = 25

_COUNTS = ("requests", "errors", "client_errors", "retries", "fallbacks", "hedges")
_HISTOGRAMS = ("latency", "overhead", "ttft")
_TALLIES = ("cache", "rate_limited", "streams")
_USAGE = ("models", "keys")


class Slot:
    """Counts for one slot. ``models`` and ``keys`` map a name to
    [requests, prompt tokens, completion tokens, cost]; ``deployments`` map an id to
    [attempts, failed attempts, {log bucket: attempts}]."""

    __slots__ = (*_COUNTS, *_HISTOGRAMS, *_TALLIES, *_USAGE, "similarity", "deployments")

    def __init__(self) -> None:
        for name in _COUNTS:
            setattr(self, name, 0)
        for name in (*_HISTOGRAMS, *_TALLIES, *_USAGE, "deployments"):
            setattr(self, name, {})
        self.similarity = [0] * SIMILARITY_BINS

    def count(self, record: RequestRecord, model: str | None) -> None:
        """Count one finished request; ``model`` is its name as the dashboard shows it
        (a bounded label: a client can send any name)."""
        self.requests += 1
        status = record.status
        if status >= 500 or (status < 400 and record.outcome in ("failed", "timed_out")):
            self.errors += 1  # a stream that ended with an error event is one too
        elif 400 <= status < 500:
            self.client_errors += 1
        log_histogram.add(self.latency, record.duration_s)
        log_histogram.add(self.overhead, record.overhead_s)
        if record.ttft_s is not None:
            log_histogram.add(self.ttft, record.ttft_s)
        if record.stream:
            _tally(self.streams, record.outcome)
        if record.cache is not None:
            _tally(self.cache, record.cache)
        if record.cache_similarity is not None:
            self.similarity[_similarity_bin(record.cache_similarity)] += 1
        if record.rate_limited is not None:
            _tally(self.rate_limited, record.rate_limited)
        self.retries += record.retries
        self.fallbacks += record.fallbacks
        self.hedges += 1 if record.hedged else 0
        if model is not None:
            _use(self.models, model, record)
        if record.key_id is not None:
            _use(self.keys, record.key_id, record)
        for deployment, _provider, started, ended, error in record.attempt_log:
            row = self.deployments.get(deployment)
            if row is None:
                row = self.deployments[deployment] = [0, 0, {}]
            row[0] += 1
            row[1] += 1 if error is not None else 0
            log_histogram.add(row[2], ended - started)

    def merge(self, other: Slot) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in _HISTOGRAMS:
            log_histogram.merge_into(getattr(self, name), getattr(other, name))
        for name in _TALLIES:
            mine = getattr(self, name)
            for label, count in getattr(other, name).items():
                mine[label] = mine.get(label, 0) + count
        for name in _USAGE:
            mine = getattr(self, name)
            for label, row in getattr(other, name).items():
                into = mine.setdefault(label, [0, 0, 0, 0.0])
                for column, value in enumerate(row):
                    into[column] += value
        self.similarity = [a + b for a, b in zip(self.similarity, other.similarity, strict=True)]
        for deployment, (attempts, failed, latency) in other.deployments.items():
            row = self.deployments.setdefault(deployment, [0, 0, {}])
            row[0] += attempts
            row[1] += failed
            log_histogram.merge_into(row[2], latency)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        """The inverse of `to_json` after a trip through JSON, which turns int keys to str."""
        slot = cls()
        for name in _COUNTS:
            setattr(slot, name, int(data.get(name, 0)))
        for name in _HISTOGRAMS:
            setattr(slot, name, _int_keys(data.get(name, {})))
        for name in (*_TALLIES, *_USAGE):
            setattr(slot, name, dict(data.get(name, {})))
        similarity = data.get("similarity")
        if isinstance(similarity, list) and len(similarity) == SIMILARITY_BINS:
            slot.similarity = [int(count) for count in similarity]
        slot.deployments = {
            deployment: [int(row[0]), int(row[1]), _int_keys(row[2])]
            for deployment, row in data.get("deployments", {}).items()
        }
        return slot


def _tally(counts: dict[str, int], label: str) -> None:
    counts[label] = counts.get(label, 0) + 1


def _use(rows: dict[str, list], name: str, record: RequestRecord) -> None:
    row = rows.get(name)
    if row is None:
        row = rows[name] = [0, 0, 0, 0.0]
    row[0] += 1
    row[1] += record.prompt_tokens
    row[2] += record.completion_tokens
    row[3] += record.cost_usd


def _similarity_bin(similarity: float) -> int:
    index = int((similarity - SIMILARITY_FLOOR) / SIMILARITY_STEP)
    return min(max(index, 0), SIMILARITY_BINS - 1)


def _int_keys(counts: dict) -> dict[int, int]:
    return {int(index): int(count) for index, count in counts.items()}
