"""frame_event: every framed event parses back to itself."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrogate.core import SseError, SseEvent, SseParser, frame_event

field_text = st.text().filter(lambda s: not re.search("[\r\n]", s))
id_text = field_text.filter(lambda s: "\0" not in s)
frames = st.tuples(st.binary(), st.none() | field_text, st.none() | id_text)


def read_back(data: bytes, event: str | None, id: str | None) -> SseEvent:
    """What a parser must see: line endings inside data become LF."""
    return SseEvent(re.sub(rb"\r\n|\r", b"\n", data), event=event, id=id)


@given(st.lists(frames, max_size=5), st.lists(st.integers(0, 10_000), max_size=5))
def test_framed_events_parse_back_however_the_stream_is_cut(events, cuts):
    stream = b"".join(frame_event(*event) for event in events)
    parser, parsed, start = SseParser(), [], 0
    for cut in [*sorted(cut % (len(stream) + 1) for cut in cuts), len(stream)]:
        parsed += parser.feed(stream[start:cut])
        start = cut
    assert parsed == [read_back(*event) for event in events]
    assert parser.finish() == []
    assert not parser.truncated


def test_frame_layout():
    assert frame_event(b'{"a":1}') == b'data: {"a":1}\n\n'
    assert (
        frame_event(b"a\r\nb", event="delta", id="7")
        == b"event: delta\nid: 7\ndata: a\ndata: b\n\n"
    )


@pytest.mark.parametrize(
    ("event", "id"), [("a\nb", None), ("a\rb", None), (None, "1\n"), (None, "a\0b")]
)
def test_fields_that_cannot_be_read_back_raise_sse_error(event, id):
    with pytest.raises(SseError):
        frame_event(b"x", event=event, id=id)
