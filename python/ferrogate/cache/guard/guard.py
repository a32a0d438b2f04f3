"""The hit guard: after a vector match, refuse to serve a cached answer to a different question.

Similarity alone puts "Celsius to Fahrenheit" next to its reverse and "15% of 80" next to
"20% of 80". Each rule below compares one feature that an embedding blurs; the first rule that
finds a difference names it in the verdict.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ferrogate.cache.guard import contrast, features
from ferrogate.cache.guard.numbers import NUMBER_WORDS, numbers


@dataclass(frozen=True, slots=True)
class GuardVerdict:
    allowed: bool
    reason: str | None = None  # why a hit was refused, e.g. "numbers differ"


ALLOW = GuardVerdict(True)
DIGIT = re.compile(r"\d")


class Turn:
    """One user turn, lower-cased and split once; each feature is worked out on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.words = features.WORD.findall(self.lower)
        self.word_set = set(self.words)

    @cached_property
    def numbers(self) -> Counter[str]:
        has_any = DIGIT.search(self.text) or not NUMBER_WORDS.isdisjoint(self.word_set)
        return numbers(self.text) if has_any else Counter()

    @cached_property
    def entities(self) -> set[str]:
        return features.entities(self.text)

    @cached_property
    def pairs(self) -> set[tuple[str, str]]:
        return features.directed_pairs(self.text, self.word_set)


def _numbers_differ(a: Turn, b: Turn) -> bool:
    return a.numbers != b.numbers


def _negation_differs(a: Turn, b: Turn) -> bool:
    return features.has_negation(a.lower, a.word_set) != features.has_negation(b.lower, b.word_set)


def _entities_differ(a: Turn, b: Turn) -> bool:
    return _unmatched(a.entities, b) or _unmatched(b.entities, a)


def _unmatched(names: set[str], other: Turn) -> bool:
    # Matched against the other turn's words rather than its names, so "italy" still
    # matches "Italy" when one writer skipped the capitals.
    return any(n not in other.word_set and n not in other.lower for n in names)


def _order_differs(a: Turn, b: Turn) -> bool:
    if not a.pairs or not b.pairs:
        return False
    terms_b = {t for pair in b.pairs for t in pair}
    # A pair that shares a term with the other side's pairs yet is not among them is either
    # reversed or points somewhere else; disjoint pairs are left to the other rules.
    return any(pair not in b.pairs and not terms_b.isdisjoint(pair) for pair in a.pairs)


def _opposite_terms(a: Turn, b: Turn) -> bool:
    return contrast.opposite_terms(a.word_set - b.word_set, b.word_set - a.word_set)


def _key_term_swapped(a: Turn, b: Turn) -> bool:
    return contrast.swapped_key_term(a.words, b.words)


Rule = Callable[[Turn, Turn], bool]
RULES: tuple[tuple[str, Rule], ...] = (
    ("numbers differ", _numbers_differ),
    ("negation differs", _negation_differs),
    ("entities differ", _entities_differ),
    ("order differs", _order_differs),
    ("opposite terms", _opposite_terms),
    ("key term differs", _key_term_swapped),
)


class HitGuard:
    """Checks a new user turn against the cached turn a vector search matched it to."""

    def __init__(self, rules: tuple[tuple[str, Rule], ...] = RULES) -> None:
        self._rules = rules

    def check(self, new_turn: str, cached_turn: str) -> GuardVerdict:
        if new_turn == cached_turn:
            return ALLOW
        a, b = Turn(new_turn), Turn(cached_turn)
        for reason, differs in self._rules:
            if differs(a, b):
                return GuardVerdict(False, reason)
        return ALLOW
