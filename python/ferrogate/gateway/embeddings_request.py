"""Parse and validate an embeddings request; each error names the offending param."""

from __future__ import annotations

from typing import Any

from ferrogate.errors import InvalidRequest

from .json_body import load_json_object

MAX_INPUTS = 2048  # OpenAI's limit on the items of one request
_ENCODINGS = ("float", "base64")
_INPUT_SHAPES = "a string, an array of strings, an array of tokens or an array of token arrays"


def parse_embeddings_request(raw: bytes) -> dict[str, Any]:
    body = load_json_object(raw)
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise InvalidRequest("`model` is required and must be a non-empty string.", param="model")
    _check_input(body.get("input"))
    _check_encoding(body.get("encoding_format"))
    _check_dimensions(body.get("dimensions"))
    return body


def _check_input(value: Any) -> None:
    if value is None:
        raise InvalidRequest("Missing required parameter: 'input'.", param="input")
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list) and value:
        items = value if not _is_tokens(value) else [value]
    else:
        raise InvalidRequest(f"`input` must be {_INPUT_SHAPES}, and not empty.", param="input")
    if len(items) > MAX_INPUTS:
        raise InvalidRequest(f"`input` may hold at most {MAX_INPUTS} items.", param="input")
    for i, item in enumerate(items):
        if not (isinstance(item, str) or _is_tokens(item)) or not item:
            where = "input" if len(items) == 1 and item is value else f"input[{i}]"
            raise InvalidRequest(
                f"`{where}` must be a non-empty string or token array.", param=where
            )


def _is_tokens(value: Any) -> bool:
    # bool is an int subclass, but `true` is no token id.
    return isinstance(value, list) and all(
        isinstance(token, int) and not isinstance(token, bool) and token >= 0 for token in value
    )


def _check_encoding(encoding: Any) -> None:
    if encoding is not None and encoding not in _ENCODINGS:
        raise InvalidRequest(
            "`encoding_format` must be 'float' or 'base64'.", param="encoding_format"
        )


def _check_dimensions(dimensions: Any) -> None:
    if dimensions is None:
        return
    if isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions < 1:
        raise InvalidRequest("`dimensions` must be a positive integer.", param="dimensions")
