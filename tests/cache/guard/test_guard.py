"""The hit guard refuses a different question and serves a reworded one."""

from __future__ import annotations

import pytest

from ferrogate.cache.guard import GuardVerdict, HitGuard


@pytest.fixture(scope="module")
def guard() -> HitGuard:
    return HitGuard()


def test_reversed_conversion_is_refused_as_order(guard: HitGuard) -> None:
    verdict = guard.check(
        "How do I convert Celsius to Fahrenheit?", "How do I convert Fahrenheit to Celsius?"
    )
    assert verdict == GuardVerdict(False, "order differs")


def test_other_percentage_of_same_number_is_refused(guard: HitGuard) -> None:
    assert guard.check("What is 15% of 80?", "What is 20% of 80?").reason == "numbers differ"


@pytest.mark.parametrize(
    ("new", "cached"),
    [
        ("How do I convert Celsius to Fahrenheit?", "How can I turn Celsius into Fahrenheit?"),
        ("What is 15% of 80?", "what's fifteen percent of eighty"),
        ("what is the capital of italy", "What is the capital of Italy?"),
        ("Who painted the Mona Lisa?", "Which artist painted the Mona Lisa?"),
        ("How do I update Node.js?", "What's the way to upgrade my Node.js version?"),
        ("Summarise this article.", "Summarise this article."),
    ],
)
def test_paraphrase_is_allowed(guard: HitGuard, new: str, cached: str) -> None:
    assert guard.check(new, cached) == GuardVerdict(True)


@pytest.mark.parametrize(
    ("new", "cached", "reason"),
    [
        ("Give me 5 ideas.", "Give me 50 ideas.", "numbers differ"),
        ("List three countries.", "List thirty countries.", "numbers differ"),
        ("Who came first in the race?", "Who came third in the race?", "numbers differ"),
        ("Is it 80km away?", "Is it 90 km away?", "numbers differ"),
        ("Why do cats purr?", "Why don't cats purr?", "negation differs"),
        ("A diet with sugar", "A diet without sugar", "negation differs"),
        ("Weather in London today", "Weather in Paris today", "entities differ"),
        (
            "Translate 'thank you' to German.",
            "Translate 'good night' to German.",
            "entities differ",
        ),
        ("What does API stand for?", "What does SDK stand for?", "entities differ"),
        ("How does os.path work?", "How does pathlib work?", "entities differ"),
        ("Rank from smallest to largest", "Rank from largest to smallest", "order differs"),
        ("Python vs Java for scripts", "Java vs Python for scripts", "order differs"),
        ("Is a dog bigger than a cat?", "Is a cat bigger than a dog?", "order differs"),
        ("Is it legal to drive at 16?", "Is it illegal to drive at 16?", "opposite terms"),
        ("Show me how to enable alerts.", "Show me how to disable alerts.", "opposite terms"),
        ("Is coffee good for you?", "Is coffee bad for you?", "opposite terms"),
        (
            "How can I cancel my subscription?",
            "How can I renew my subscription?",
            "key term differs",
        ),
    ],
)
def test_each_rule_refuses_its_difference(
    guard: HitGuard, new: str, cached: str, reason: str
) -> None:
    assert guard.check(new, cached) == GuardVerdict(False, reason)


@pytest.mark.parametrize(
    ("new", "cached"),
    [
        ("What is twenty-five times 4?", "What is 25 times four?"),
        ("Is 1,000.50 a lot?", "Is 1000.5 a lot?"),
        ("Which one is better?", "Which is better?"),
        ("Show 2 hundred rows", "Show 200 rows"),
    ],
)
def test_same_quantity_written_differently_is_allowed(
    guard: HitGuard, new: str, cached: str
) -> None:
    assert guard.check(new, cached).allowed


def test_name_at_sentence_start_is_not_taken_for_an_entity(guard: HitGuard) -> None:
    assert guard.check("Explain recursion simply.", "Can you explain recursion simply?").allowed


def test_pronoun_i_is_not_an_entity(guard: HitGuard) -> None:
    assert guard.check("How do I sleep better?", "How can one sleep better?").allowed


def test_direction_only_on_one_side_is_left_to_other_rules(guard: HitGuard) -> None:
    assert guard.check("Convert Celsius to Fahrenheit", "Celsius in Fahrenheit, how?").allowed
