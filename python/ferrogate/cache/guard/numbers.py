"""Quantities in a user turn, normalised so that "fifteen percent" and "15%" are one key."""

from __future__ import annotations

import re
from collections import Counter


def _word_list(text: str) -> list[str]:
    return text.split()


_SMALL = _word_list(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _word_list("twenty thirty forty fifty sixty seventy eighty ninety")
_ORDINALS = _word_list(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
    "twentieth"
)
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_VALUES = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
NUMBER_WORDS = frozenset(_VALUES) | frozenset(_ORDINALS) | frozenset(_SCALES)


def _alternation(names: list[str] | dict[str, int]) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


COMPOUND = re.compile(rf"\b({_alternation(_TENS)})[\s-]+({_alternation(_SMALL[1:10])})\b", re.I)
# "one" alone is left out on purpose: it is far more often a pronoun ("which one") or stands
# for an article ("give me one example") than a quantity worth refusing a hit over.
LONE_WORD = re.compile(rf"\b({_alternation([w for w in _VALUES if w != 'one'])})\b", re.I)
ORDINAL_WORD = re.compile(rf"\b({_alternation(_ORDINALS)})\b", re.I)
SCALED = re.compile(rf"\b(?:(\d+(?:\.\d+)?|one|a)\s+)?({_alternation(_SCALES)})\b", re.I)

_UNITS = {"%": "%", "percent": "%", "pct": "%", "km": "km", "kilometers": "km", "m": "m"}
_UNITS |= {"kg": "kg", "g": "g", "mb": "mb", "gb": "gb", "kb": "kb", "ms": "ms", "s": "s"}
_UNITS |= {"mi": "mi", "miles": "mi", "cm": "cm", "mm": "mm", "h": "h", "x": "x", "k": "k"}
NUMBER = re.compile(
    r"(?<![\w.])([$€£]?)(\d[\d,]*(?:\.\d+)?)(?:(st|nd|rd|th)\b|\s?(%|[a-z]+\b))?", re.I
)


def _compound(match: re.Match[str]) -> str:
    return str(_VALUES[match[1].lower()] + _VALUES[match[2].lower()])


def _scaled(match: re.Match[str]) -> str:
    factor = match[1] if match[1] and match[1][0].isdigit() else "1"
    return _plain(float(factor) * _SCALES[match[2].lower()])


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


_TENS_SET, _VALUE_WORDS = frozenset(_TENS), frozenset(_VALUES) - {"one"}
_ORDINAL_SET, _SCALE_SET = frozenset(_ORDINALS), frozenset(_SCALES)
_LETTER_RUN = re.compile(r"[a-z]+")


def _as_digits(text: str) -> str:
    # Each substitution runs only when its words occur. In ASCII text a word matched between
    # \b's is a whole run of letters, so the runs tell exactly; other text (where IGNORECASE
    # also folds the long s, U+017F, into "s") gets every substitution.
    runs = frozenset(_LETTER_RUN.findall(text.lower())) if text.isascii() else None
    if runs is None or not runs.isdisjoint(_TENS_SET):
        text = COMPOUND.sub(_compound, text)
    if runs is None or not runs.isdisjoint(_VALUE_WORDS):
        text = LONE_WORD.sub(lambda m: str(_VALUES[m[1].lower()]), text)
    if runs is None or not runs.isdisjoint(_ORDINAL_SET):
        text = ORDINAL_WORD.sub(lambda m: f"{_ORDINALS.index(m[1].lower()) + 1}th", text)
    if runs is None or not runs.isdisjoint(_SCALE_SET):
        text = SCALED.sub(_scaled, text)
    return text


def numbers(text: str) -> Counter[str]:
    """Every quantity in the text as a multiset of keys like "15%", "80km", "#3", "$5"."""
    found: Counter[str] = Counter()
    for currency, digits, ordinal, unit in NUMBER.findall(_as_digits(text)):
        value = digits.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        unit_key = _UNITS.get(unit.lower(), "") if unit else ""
        found[("#" if ordinal else "") + currency + value + unit_key] += 1
    return found
