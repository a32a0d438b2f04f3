"""OpenAI message content, a string or a list of typed parts, as Gemini `parts`."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import urlsplit

from ferrogate.errors import InvalidRequest

# An http(s) image whose path names no known type: Gemini needs some image mimeType and
# JPEG is what most extensionless image URLs (CDNs, thumbnails) serve.
_FALLBACK_IMAGE_TYPE = "image/jpeg"


def content_parts(content: Any, param: str, *, images: bool = True) -> list[dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}]
    if not isinstance(content, list):
        raise InvalidRequest("`content` must be a string or an array of parts.", param=param)
    return [_part(part, f"{param}[{j}]", images) for j, part in enumerate(content)]


def _part(part: Any, param: str, images: bool) -> dict[str, Any]:
    kind = part.get("type") if isinstance(part, dict) else None
    if kind == "text" and isinstance(part.get("text"), str):
        return {"text": part["text"]}
    if kind == "image_url" and images:
        url = (part.get("image_url") or {}).get("url")
        return image_part(url, f"{param}.image_url.url")
    message = f"Content parts of type {kind!r} cannot be sent to Gemini here."
    raise InvalidRequest(message, param=param)


def image_part(url: Any, param: str) -> dict[str, Any]:
    if not isinstance(url, str):
        raise InvalidRequest("An image part needs a `url`.", param=param)
    if url.startswith("data:"):
        return {"inlineData": _data_url(url, param)}
    if url.startswith(("http://", "https://")):
        mime_type = mimetypes.guess_type(urlsplit(url).path)[0] or _FALLBACK_IMAGE_TYPE
        return {"fileData": {"mimeType": mime_type, "fileUri": url}}
    raise InvalidRequest("An image URL must be an http(s) URL or a base64 data URL.", param=param)


def _data_url(url: str, param: str) -> dict[str, str]:
    header, comma, data = url[len("data:") :].partition(",")
    mime_type, _, encoding = header.partition(";")
    if not comma or encoding != "base64" or not mime_type:
        raise InvalidRequest("A data URL must look like data:<type>;base64,<data>.", param=param)
    return {"mimeType": mime_type, "data": data}
