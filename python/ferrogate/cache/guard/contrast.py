"""Word-level contrasts between two turns: opposite terms and a swapped key term.

An embedding puts "enable" next to "disable" and "a banana" next to "an apple"; these checks
look for exactly those minimal differences between two otherwise alike prompts.
"""

from __future__ import annotations

from collections import Counter

from ferrogate.cache.guard.features import vocabulary

# Prefixes that negate or reverse a stem ("legal"/"illegal", "increase"/"decrease",
# "import"/"export"): two different words with the same stem under different prefixes.
_PREFIXES = (
    "", "un", "non", "dis", "in", "im", "il", "ir", "de", "en", "ex", "anti", "mis", "up",
    "down", "over", "under", "pre", "post", "max", "min", "out",
)  # fmt: skip
_MIN_STEM = 3
_REAL_PREFIXES = _PREFIXES[1:]

# Common English opposites that share no stem. General vocabulary, not gathered from any pair set.
_OPPOSITES = (
    "good bad, best worst, better worse, more less, most least, before after, first last, "
    "high low, higher lower, fast slow, faster slower, big small, bigger smaller, "
    "largest smallest, large small, hot cold, open close, start stop, add remove, buy sell, "
    "true false, push pull, send receive, win lose, above below, on off, read write, "
    "min max, minimum maximum, ascending descending, old new, cheap expensive, easy hard, "
    "safe dangerous, pros cons, strong weak, long short, early late, light dark, male female, "
    "right left, north south, east west, up down, inside outside, import export"
)
OPPOSITE = {}
for _pair in _OPPOSITES.split(", "):
    _a, _b = _pair.split()
    OPPOSITE[_a], OPPOSITE[_b] = _b, _a

STOPWORDS = vocabulary(
    "a an the and or but if of to in on at by for with from into about as is are was "
    "were be been being am do does did doing have has had having i me my mine you your "
    "yours we our us he she it its they them their this that these those what which who "
    "whom whose when where why how can could would should will shall may might must "
    "please give tell show me explain want need way some any all just so than then there "
    "here also very really s t ll d ve re m get got make thing things something like "
    "know let lets"
)
# Share of the two turns' words that line up in order (2 * LCS / total). At 0.7, one swapped
# word in a four-word question, or two in a seven-word one, still counts as the same skeleton;
# a paraphrase that reorders the question falls well below it.
SKELETON_SHARE = 0.7


def _stems(word: str) -> dict[str, str]:
    if not word.startswith(_REAL_PREFIXES):
        return {word: ""}
    return {
        word[len(p) :]: p
        for p in _PREFIXES
        if word.startswith(p) and len(word) - len(p) >= _MIN_STEM
    }


def opposite_terms(only_a: set[str], only_b: set[str]) -> bool:
    """A word on one side is the opposite of a word on the other, by prefix or by table."""
    stems_b: dict[str, set[str]] = {}
    for word in only_b:
        for stem, prefix in _stems(word).items():
            stems_b.setdefault(stem, set()).add(prefix)
    for word in only_a:
        if OPPOSITE.get(word) in only_b:
            return True
        for stem, prefix in _stems(word).items():
            if stems_b.get(stem, {prefix}) != {prefix}:
                return True
    return False


def _content(words_: set[str]) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words_ - STOPWORDS}


def swapped_key_term(words_a: list[str], words_b: list[str]) -> bool:
    """Same sentence skeleton, yet each side has a content word the other lacks."""
    total = len(words_a) + len(words_b)
    # The multiset overlap bounds the in-order overlap, so most pairs skip the LCS.
    if not total or 2 * (Counter(words_a) & Counter(words_b)).total() < SKELETON_SHARE * total:
        return False
    content_a, content_b = _content(set(words_a)), _content(set(words_b))
    if not (content_a - content_b and content_b - content_a):
        return False
    return 2 * _common_in_order(words_a, words_b) >= SKELETON_SHARE * total


def _common_in_order(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence; turns are short, so the table is small."""
    previous = [0] * (len(b) + 1)
    for word in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if word == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]
