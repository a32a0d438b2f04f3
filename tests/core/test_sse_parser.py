"""SseParser against a whole-stream reference parser, under arbitrary chunking."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ferrogate.core import CoreError, SseError, SseEvent, SseParser

from . import sse_reference

# Fragments that, joined at random, hit every rule: fields, comments, each line ending,
# CR and LF meeting at chunk edges, NUL in ids, non-digit retries, BOMs and invalid UTF-8.
FRAGMENTS = [
    b"data", b"data:", b"data: ", b"event:", b"id:", b"retry:", b"other:", b": note",
    b"x", b"7", b" ", b":", b"\r", b"\n", b"\r\n", b"\0", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xff",
]  # fmt: skip
streams = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(b"".join)


def as_tuples(events: list[SseEvent]) -> list[tuple]:
    return [(e.data, e.event, e.id, e.retry) for e in events]


def feed_in_pieces(stream: bytes, cuts: list[int]) -> tuple[list[SseEvent], bool]:
    parser, events, start = SseParser(), [], 0
    for cut in [*sorted(cuts), len(stream)]:
        events += parser.feed(stream[start:cut])
        start = cut
    events += parser.finish()
    return events, parser.truncated


@given(streams)
def test_events_match_the_reference_parser(stream):
    events, truncated = feed_in_pieces(stream, [])
    assert (as_tuples(events), truncated) == sse_reference.parse(stream)


@given(streams, st.lists(st.integers(0, 400), max_size=8))
def test_any_chunking_gives_the_same_events(stream, cuts):
    cuts = [cut % (len(stream) + 1) for cut in cuts]
    assert feed_in_pieces(stream, cuts) == feed_in_pieces(stream, [])


@given(streams)
def test_byte_at_a_time_gives_the_same_events(stream):
    assert feed_in_pieces(stream, list(range(len(stream)))) == feed_in_pieces(stream, [])


def test_crlf_split_between_chunks_is_one_line_ending():
    parser = SseParser()
    assert parser.feed(b"data: a\r") == []
    assert parser.feed(b"\n") == []
    assert parser.feed(b"\r\n") == [SseEvent(b"a")]


def test_all_fields_of_an_event_are_exposed():
    stream = b"\xef\xbb\xbf: hi\nevent: delta\nid: 9\nretry: 250\ndata: {\ndata:}\n\n"
    assert SseParser().feed(stream) == [SseEvent(b"{\n}", event="delta", id="9", retry=250)]


def test_unterminated_event_is_discarded_and_reported():
    parser = SseParser()
    assert parser.feed(b"data: done\n\ndata: cut") == [SseEvent(b"done")]
    assert parser.finish() == []
    assert parser.truncated


def test_clean_end_is_not_truncated():
    parser = SseParser()
    parser.feed(b"data: done\n\n")
    assert parser.finish() == []
    assert not parser.truncated


def test_line_longer_than_the_limit_raises_sse_error():
    parser = SseParser(max_line_bytes=10)
    parser.feed(b"data: 1234")
    with pytest.raises(SseError, match="max_line_bytes") as info:
        parser.feed(b"5")
    assert isinstance(info.value, CoreError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("limit", [0, -1])
def test_limit_below_one_raises_value_error(limit):
    with pytest.raises(ValueError, match="max_line_bytes"):
        SseParser(max_line_bytes=limit)


def test_event_is_frozen_hashable_and_readable():
    event = SseEvent(b"d", event="e", id="1", retry=5)
    assert event == SseEvent(b"d", "e", "1", 5)
    assert event != SseEvent(b"d")
    assert len({event, SseEvent(b"d", "e", "1", 5)}) == 1
    assert repr(event) == "SseEvent(data=b'd', event='e', id='1', retry=5)"
    with pytest.raises(AttributeError):
        event.data = b"x"  # type: ignore[misc]
