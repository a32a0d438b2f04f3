"""Medians over interleaved rounds: issue 8's method (three rounds, medians) against noise."""

import statistics
from dataclasses import fields, replace

from loadkit.facts import TargetFacts
from loadkit.measure import Result

# Summed, not medianed: what was done over all rounds.
SUMMED = {"requests", "errors"}


def median_results(rounds: list[list[Result]]) -> list[Result]:
    """One row per (target, scenario, concurrency), in first-seen order: each figure is the
    median of that row's rounds (a row missing from a round, its target failed, is left out
    of the median, not counted as zero)."""
    groups: dict[tuple[str, str, int], list[Result]] = {}
    for results in rounds:
        for result in results:
            groups.setdefault((result.target, result.scenario, result.concurrency), []).append(
                result
            )
    return [_median_row(rows) for rows in groups.values()]


def _median_row(rows: list[Result]) -> Result:
    changes = {}
    for field in fields(Result):
        values = [getattr(row, field.name) for row in rows]
        if not isinstance(values[0], (int, float)) or field.name == "concurrency":
            continue
        changes[field.name] = sum(values) if field.name in SUMMED else statistics.median(values)
    return replace(rows[0], **changes)


def median_facts(rounds: list[list[TargetFacts]]) -> list[TargetFacts]:
    groups: dict[str, list[TargetFacts]] = {}
    for facts in rounds:
        for fact in facts:
            groups.setdefault(fact.target, []).append(fact)
    return [
        TargetFacts(
            target,
            _median([fact.startup_s for fact in rows]),
            statistics.median(fact.rss_mib for fact in rows),
            statistics.median(fact.pss_mib for fact in rows),
        )
        for target, rows in groups.items()
    ]


def _median(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None
