"""What the hit guard compares besides numbers: names, negation and direction-sensitive pairs.

Everything is plain regex work on one short user turn; the patterns compile once at import.
"""

from __future__ import annotations

import re


def vocabulary(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string, for long word lists."""
    return frozenset(text.split())


_NEGATORS = vocabulary(
    "not no never none nobody nothing nowhere neither nor without except excluding "
    "cannot dont doesnt didnt cant wont isnt arent wasnt werent shouldnt couldnt wouldnt "
    "havent hasnt"
)

_OPEN_QUOTES, _CLOSE_QUOTES = "'\"`\u2018\u201c", "'\"`\u2019\u201d"
QUOTED = re.compile(rf"(?<!\w)[{_OPEN_QUOTES}]([^{_CLOSE_QUOTES}]{{1,80}})[{_CLOSE_QUOTES}](?!\w)")
_OPENERS = frozenset(".!?:;\n(" + _OPEN_QUOTES)
CAPITALISED = re.compile(r"\b[A-Z][\w]*(?:\.[A-Za-z]\w*)*")
CAMEL = re.compile(r"[a-z][A-Z]")
WORD = re.compile(r"[a-z0-9][a-z0-9_+#]*(?:\.[a-z0-9_+#]+)*")  # on lower-cased text

_DET = r"(?:(?:the|a|an|my|your|this|some)\s+)?"
_TERM = r"([\w][\w.+#-]*)"
# Patterns whose two terms are ordered: swapping them asks the reverse question. Each runs only
# when its trigger word is in the turn, which keeps the common no-pattern case cheap.
DIRECTION = (
    ({"from"}, rf"\bfrom\s+{_DET}{_TERM}\s+(?:to|into)\s+{_DET}{_TERM}"),
    (
        {"convert", "converting", "translate", "translating", "turn", "change", "switch", "map"},
        rf"\b(?:convert|converting|translate|translating|turn|change|switch|map)"
        rf"\s+{_DET}(?:\d[\d.,]*\s+)?{_TERM}\s+(?:to|into)\s+{_DET}{_TERM}",
    ),
    ({"into"}, rf"\b{_TERM}\s+into\s+{_DET}{_TERM}"),
    ({"vs", "versus"}, rf"\b{_TERM}\s+(?:vs\.?|versus)\s+{_DET}{_TERM}"),
    ({"than"}, rf"\b{_TERM}\s+(?:is\s+|are\s+)?(?:more\s+|less\s+)?\w+\s+than\s+{_DET}{_TERM}"),
)
DIRECTION_PATTERNS = tuple((frozenset(t), re.compile(p, re.IGNORECASE)) for t, p in DIRECTION)
# Two names joined by "to" ("USD to EUR", "English to French") are a direction on their own.
NAME_TO_NAME = re.compile(r"\b([A-Z][\w.+#-]*)\s+to\s+([A-Z][\w.+#-]*)")
_NOT_TERMS = vocabulary("i you it this that what which who how is are do does the a an")


def has_negation(lower: str, words: set[str]) -> bool:
    return not _NEGATORS.isdisjoint(words) or "n't" in lower or "n\u2019t" in lower


def entities(text: str) -> set[str]:
    """Lower-cased names, acronyms, quoted strings and code identifiers in the text."""
    # QUOTED needs an opening quote: most turns have none, and the scan is then skipped.
    has_quote = any(quote in text for quote in _OPEN_QUOTES)
    found = {q.strip().lower() for q in QUOTED.findall(text)} if has_quote else set()
    found.update(w.lower() for w in _code_identifiers(text))
    for match in CAPITALISED.finditer(text):
        word = match.group()
        if word == "I" or word.startswith("I'"):
            continue
        if (word.isupper() and len(word) > 1) or not _starts_sentence(text, match.start()):
            found.add(word.lower())
    return found


def _code_identifiers(text: str) -> list[str]:
    # A split and a few substring tests are several times cheaper than one regex that
    # backtracks over every word looking for "_", "()", an inner dot or a camel hump.
    has_camel = CAMEL.search(text) is not None
    if "_" not in text and "." not in text and "(" not in text and not has_camel:
        return []
    words = (w.strip(".,;:!?'\"`") for w in text.split())
    # A hump lies inside one word, so a text without one spares the search in every word.
    code = [
        w for w in words if "_" in w or "()" in w or "." in w or (has_camel and CAMEL.search(w))
    ]
    return [w for w in code if not w.replace(".", "").replace(",", "").isdigit()]


def _starts_sentence(text: str, start: int) -> bool:
    # Walks back over spaces and tabs instead of slicing the text before every name.
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in _OPENERS


def directed_pairs(text: str, words: set[str]) -> set[tuple[str, str]]:
    """Ordered (source, target) term pairs from patterns where the order carries meaning."""
    found = NAME_TO_NAME.findall(text) if "to" in words else []
    for triggers, pattern in DIRECTION_PATTERNS:
        if not triggers.isdisjoint(words):
            found.extend(pattern.findall(text))
    pairs = set()
    for left, right in found:
        left, right = left.lower().rstrip("."), right.lower().rstrip(".")
        if left not in _NOT_TERMS and right not in _NOT_TERMS and left != right:
            pairs.add((left, right))
    return pairs
