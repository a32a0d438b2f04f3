"""Gemini `streamGenerateContent?alt=sse` bodies in the shape the API sends them:
`data: ` events split by CRLF blank lines, JSON with spaces after colons, usage on every
event, finishReason on the last. Each stream is the list of network chunks."""

_USAGE = (
    '"usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": %d, "totalTokenCount": %d}'
)


def _event(body: str) -> bytes:
    return f"data: {body}\r\n\r\n".encode()


def _text(text: str, tokens: int, finish: str = "") -> bytes:
    end = f', "finishReason": "{finish}"' if finish else ""
    usage = _USAGE % (tokens, 9 + tokens)
    return _event(
        f'{{"candidates": [{{"content": {{"parts": [{{"text": "{text}"}}], "role": "model"}}'
        f'{end}, "index": 0}}], {usage}, "modelVersion": "gemini-2.5-flash", '
        f'"responseId": "resp-1"}}'
    )


TEXT = [_text("Hello", 1), _text(" there", 2), _text(", friend.", 4, "STOP")]

# The network splits events anywhere, even inside a CRLF.
TEXT_SPLIT = [b"".join(TEXT)[i : i + 7] for i in range(0, len(b"".join(TEXT)), 7)]

TOOL_CALL = [
    _event(
        '{"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather", '
        '"args": {"city": "Paris"}}, "thoughtSignature": "c2lnbmF0dXJl"}], "role": "model"}, '
        '"finishReason": "STOP", "index": 0}], ' + _USAGE % (12, 21) + "}"
    )
]

LENGTH = [_text("Hello", 1), _text(" the", 2, "MAX_TOKENS")]

BLOCKED_PROMPT = [
    _event(
        '{"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, '
        '"usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9}}'
    )
]

# The connection ends after two events: no finishReason, no error.
CUT = TEXT[:2]

# Google fails mid-stream: its pretty-printed error object, bare, then the end.
ERROR_TAIL = [
    *TEXT[:2],
    b'{\n  "error": {\n    "code": 503,\n    "message": "The model is overloaded. Please try '
    b'again later.",\n    "status": "UNAVAILABLE"\n  }\n}\n',
]
