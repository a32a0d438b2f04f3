"""Who is calling: nobody in particular (open gateway), the operator (master key) or a key.

The master key and virtual keys are compared in constant time; a missing or wrong key is a
401 in OpenAI's words. While the key store is unreachable, keys verified in the last few
seconds keep working and others get a 503, never a silent pass.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ferrogate.errors import AuthenticationFailed, PermissionDenied, ServiceUnavailable

if TYPE_CHECKING:  # the key store loads sqlite3/redis only when a master key is set
    from ferrogate.keys.record import KeyRecord
    from ferrogate.keys.verifier import KeyVerifier

_NO_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization "
    "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
)


@dataclass(frozen=True, slots=True)
class Caller:
    kind: Literal["open", "master", "key"]
    key: KeyRecord | None = None

    def check_model(self, model: str) -> None:
        if self.key is not None and not self.key.allows_model(model):
            raise PermissionDenied(
                f"This key is not allowed to use the model `{model}`.", param="model"
            )

    def may_use(self, model: str) -> bool:
        return self.key is None or self.key.allows_model(model)


OPEN = Caller("open")
MASTER = Caller("master")


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The bearer token, or `x-api-key` for clients that send keys Anthropic's way."""
    authorization = headers.get("authorization")
    if authorization is not None:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return token.strip()
        return None
    return headers.get("x-api-key") or None


class Authenticator:
    def __init__(self, master_key: str = "", verifier: KeyVerifier | None = None):
        self._master = master_key.encode()
        self._verifier = verifier

    @property
    def open(self) -> bool:
        return not self._master

    async def caller(self, headers: Mapping[str, str]) -> Caller:
        if not self._master:
            return OPEN
        presented = presented_key(headers)
        if presented is None:
            raise AuthenticationFailed(_NO_KEY)
        if hmac.compare_digest(presented.encode(), self._master):
            return MASTER
        assert self._verifier is not None, "a master key comes with a key verifier"
        from ferrogate.keys.store import StoreUnavailable

        try:
            return Caller("key", await self._verifier.verify(presented))
        except StoreUnavailable as exc:
            raise ServiceUnavailable("The key store is unavailable; please retry shortly.") from exc

    def require_master(self, headers: Mapping[str, str]) -> None:
        if not self._master:
            raise PermissionDenied(
                "The admin API is off: set FERROGATE_MASTER_KEY (or keys.master_key) to use it.",
                code="admin_disabled",
            )
        presented = presented_key(headers)
        if presented is None:
            raise AuthenticationFailed(_NO_KEY)
        if not hmac.compare_digest(presented.encode(), self._master):
            raise AuthenticationFailed("The admin API needs the master key.")
