"""`JsonLines` from Python: rows of Python values in, whole JSON lines out."""

import orjson
import pytest

from ferrogate.core import JsonLines

FIELDS = [
    ("id", "value"),
    ("ok", "value"),
    ("n", "value"),
    ("cost", "value"),
    ("ts", "unix_time"),
    ("took_ms", "ms"),
    ("stages_ms", "ms_map"),
]


def test_a_row_becomes_one_line_with_json_types():
    lines = JsonLines(FIELDS)
    lines.push(("req-1", True, 42, 1.5e-05, 1_736_000_000.25, 0.4213, {"parse": 2e-05}))
    lines.push(("req-2", False, 0, 0.0, None, None, {}))
    assert len(lines) == 2
    first, second = lines.take(1 << 20).splitlines()
    assert orjson.loads(first) == {
        "id": "req-1",
        "ok": True,
        "n": 42,
        "cost": 1.5e-05,
        "ts": "2025-01-04T14:13:20.250000Z",
        "took_ms": 421.3,
        "stages_ms": {"parse": 0.02},
    }
    assert orjson.loads(second)["ok"] is False
    assert orjson.loads(second)["ts"] is None
    assert len(lines) == 0
    assert lines.take(1 << 20) == b""


@pytest.mark.parametrize(
    "row",
    [
        ("req", True, 1, 1.0, 0.0, 0.0),  # a value short
        ("req", True, 1, 1.0, 0.0, 0.0, {}, "extra"),
        ("req", True, 1, 1.0, "yesterday", 0.0, {}),  # a string where seconds go
        ("req", True, 1, 1.0, 0.0, 0.0, {"parse": object()}),
        ("req", True, 1, 1.0, 0.0, 0.0, {1: 0.5}),  # a key that is not a string
        ("req", True, 2**70, 1.0, 0.0, 0.0, {}),  # past 64 bits
        ("req", [1], 1, 1.0, 0.0, 0.0, {}),
        ("\ud800", True, 1, 1.0, 0.0, 0.0, {}),  # a lone surrogate is no UTF-8
    ],
)
def test_a_row_that_does_not_fit_raises_and_leaves_nothing(row):
    lines = JsonLines(FIELDS)
    with pytest.raises((ValueError, TypeError, OverflowError, UnicodeEncodeError)):
        lines.push(row)
    assert (len(lines), lines.size) == (0, 0)


def test_takes_are_whole_lines_within_their_size():
    lines = JsonLines([("t", "value")])
    for text in ["a", "bb", "x" * 100]:
        lines.push((text,))
    assert lines.take(25) == b'{"t":"a"}\n{"t":"bb"}\n'
    assert lines.take(10) == b'{"t":"' + b"x" * 100 + b'"}\n'  # longer: alone


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown field kind"):
        JsonLines([("t", "date")])
