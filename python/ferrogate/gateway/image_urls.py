"""Check `image_url` content parts before any provider sees them.

A URL is either http(s), which the provider fetches, or a base64 `data:` URL of an image
type the providers accept. Only the head of inline data is decoded: its magic bytes say
whether it is an image, at a cost that does not grow with the image.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ferrogate.errors import InvalidRequest

# Media type -> how the file starts (WebP: "RIFF", a size, then "WEBP").
_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
_HEAD_CHARS = 16  # decodes to 12 bytes: enough for every signature above


def check_image_parts(content: Any, where: str) -> None:
    if not isinstance(content, list):
        return
    for j, part in enumerate(content):
        if isinstance(part, dict) and part.get("type") == "image_url":
            _check_image_url(part.get("image_url"), f"{where}[{j}].image_url")


def _check_image_url(image_url: Any, param: str) -> None:
    url = image_url.get("url") if isinstance(image_url, dict) else None
    if not isinstance(url, str) or not url:
        raise InvalidRequest("`image_url.url` must be a non-empty string.", param=f"{param}.url")
    scheme = url.partition(":")[0].lower()
    if scheme in ("http", "https"):
        return
    if scheme != "data":
        raise InvalidRequest(
            "Invalid image URL: it must start with https://, http:// or data:image/.",
            param=f"{param}.url",
        )
    _check_data_url(url, f"{param}.url")


def _check_data_url(url: str, param: str) -> None:
    header, comma, data = url[len("data:") :].partition(",")
    media_type, _, encoding = header.partition(";")
    media_type = media_type.lower()
    if not comma or encoding.lower() != "base64" or media_type not in _MAGIC:
        raise InvalidRequest(
            "Invalid image data URL: expected data:image/{png,jpeg,gif,webp};base64,<data>.",
            param=param,
        )
    try:
        head = base64.b64decode(data[:_HEAD_CHARS], validate=True)
    except (binascii.Error, ValueError):
        head = b""
    if not _is_image(head):
        raise InvalidRequest("The image data is not a PNG, JPEG, GIF or WebP image.", param=param)


def _is_image(head: bytes) -> bool:
    # Any supported signature will do, whatever the declared type: clients often mislabel
    # JPEGs as PNGs, and OpenAI serves them; a provider that minds says so itself.
    if head.startswith(b"RIFF"):
        return head[8:12] == b"WEBP"
    return any(head.startswith(magic) for magics in _MAGIC.values() for magic in magics)
