"""request_hash: equal for every spelling of one request, different for any relevant change."""

import json
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ferrogate.core import CoreError, InvalidJsonError, request_hash

IGNORED = ["metadata", "service_tier", "store", "stream", "stream_options", "user"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=16,
)
bodies = st.dictionaries(
    st.text(max_size=10).filter(lambda k: k not in IGNORED), values, max_size=6
)


def hash_of(value) -> str:
    return request_hash(json.dumps(value).encode())


def canonical(value):
    """The value as the hash should see it: 1 and 1.0 one number, key order gone."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", int(value) if float(value).is_integer() else value)
    if isinstance(value, list):
        return ("list", tuple(canonical(item) for item in value))
    return ("dict", tuple(sorted((key, canonical(item)) for key, item in value.items())))


class Respeller:
    """Writes JSON with drawn key order, whitespace, string escapes and number spellings."""

    def __init__(self, draw):
        self.draw = draw

    def value(self, value) -> str:
        if isinstance(value, dict):
            return self.object(value)
        if isinstance(value, list):
            return "[" + ",".join(self.space() + self.value(item) for item in value) + "]"
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, bool) or value is None:
            return json.dumps(value)
        return self.number(value)

    def object(self, value: dict) -> str:
        keys = self.draw(st.permutations(list(value)))
        fields = (
            f"{self.string(k)}{self.space()}:{self.space()}{self.value(value[k])}" for k in keys
        )
        return "{" + self.space() + ",".join(fields) + self.space() + "}"

    def string(self, text: str) -> str:
        escape_all = self.draw(st.booleans())
        return json.dumps(text, ensure_ascii=escape_all)

    def number(self, number: int | float) -> str:
        if isinstance(number, int):
            spellings = [str(number), f"{number}.0", f"{number}e0", f"{number}.000E+0"]
        else:
            spellings = [repr(number), format(number, ".17e"), format(number, ".17E")]
        return self.draw(st.sampled_from(spellings))

    def space(self) -> str:
        return self.draw(st.sampled_from(["", " ", "\n", "\t", " \r\n  "]))


@given(bodies, st.data())
def test_spelling_never_changes_the_hash(body, data):
    respelled = Respeller(data.draw).value(body)
    assert request_hash(respelled.encode()) == hash_of(body)


@given(bodies, st.dictionaries(st.sampled_from(IGNORED), values, min_size=1))
def test_ignored_fields_never_change_the_hash(body, extras):
    assert hash_of(body | extras) == hash_of(body)


@given(bodies, st.text(max_size=10), values)
def test_any_new_relevant_field_changes_the_hash(body, name, value):
    assume(name not in body and name not in IGNORED)
    assert hash_of(body | {name: value}) != hash_of(body)


def keys_of(container: dict | list) -> list:
    return sorted(container) if isinstance(container, dict) else list(range(len(container)))


@st.composite
def changed_bodies(draw):
    """A body and a copy with one value, somewhere inside, replaced by a different one."""
    body = draw(bodies.filter(bool))
    changed = json.loads(json.dumps(body))
    container, key = changed, draw(st.sampled_from(keys_of(changed)))
    while isinstance(container[key], dict | list) and container[key] and draw(st.booleans()):
        container = container[key]
        key = draw(st.sampled_from(keys_of(container)))
    replacement = draw(values)
    assume(canonical(replacement) != canonical(container[key]))
    container[key] = replacement
    return body, changed


@given(changed_bodies())
def test_any_relevant_value_change_changes_the_hash(pair):
    body, changed = pair
    assert hash_of(changed) != hash_of(body)


def test_array_order_matters_but_nested_key_order_does_not():
    messages = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    assert hash_of({"messages": messages}) != hash_of({"messages": messages[::-1]})
    reordered = [{"content": m["content"], "role": m["role"]} for m in messages]
    assert hash_of({"messages": messages}) == hash_of({"messages": reordered})


def test_ignored_names_count_below_the_top_level():
    assert hash_of({"tools": {"user": "x"}}) != hash_of({"tools": {}})


def test_booleans_are_not_numbers():
    assert hash_of({"n": True}) != hash_of({"n": 1})
    assert hash_of({"n": False}) != hash_of({"n": 0})


def test_hash_is_32_lowercase_hex_digits():
    assert re.fullmatch(r"[0-9a-f]{32}", hash_of({"model": "m"}))


def test_hash_of_a_known_body_is_stable():
    # Cached answers in Redis outlive a deploy: if this value changes, every cached entry is
    # orphaned, so change it only on purpose.
    body = b'{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":0}'
    assert request_hash(body) == "1f5a8f32eff88a0e4cadb4f4c924742f"


@pytest.mark.parametrize(
    "body", [b"", b"{", b'{"a":1,}', b"[]", b"1", b'"s"', b"null", b'{"a":1} x', b"\xff"]
)
def test_invalid_json_or_non_object_raises_invalid_json_error(body):
    with pytest.raises(InvalidJsonError) as info:
        request_hash(body)
    assert isinstance(info.value, CoreError)
    assert isinstance(info.value, ValueError)


def test_only_bytes_are_accepted():
    with pytest.raises(TypeError):
        request_hash('{"model": "m"}')  # type: ignore[arg-type]
