"""A deliberately plain WHATWG event-stream parser over a whole stream, as a test oracle."""

import re
from dataclasses import dataclass, field

BOM = b"\xef\xbb\xbf"
LINE_ENDING = re.compile(rb"\r\n|\r|\n")


@dataclass
class Block:
    data: list[bytes] = field(default_factory=list)
    event: str | None = None
    id: str | None = None
    retry: int | None = None
    open: bool = False


def parse(stream: bytes) -> tuple[list[tuple], bool]:
    """Events as (data, event, id, retry), and whether an unterminated event was pending."""
    stream = stream.removeprefix(BOM)
    *lines, unterminated = LINE_ENDING.split(stream)
    events, block = [], Block()
    for line in lines:
        if not line:
            if block.data:
                events.append((b"\n".join(block.data), block.event, block.id, block.retry))
            block = Block()
        elif not line.startswith(b":"):
            apply(block, *split(line))
    return events, bool(unterminated) or block.open


def split(line: bytes) -> tuple[bytes, bytes]:
    name, colon, value = line.partition(b":")
    return name, value.removeprefix(b" ") if colon else b""


def apply(block: Block, name: bytes, value: bytes) -> None:
    block.open = True
    text = value.decode("utf-8", "replace")
    if name == b"data":
        block.data.append(value)
    elif name == b"event":
        block.event = text
    elif name == b"id" and b"\0" not in value:
        block.id = text
    elif name == b"retry" and value.isdigit() and int(value) < 2**64:
        block.retry = int(value)
