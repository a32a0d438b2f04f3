"""Build authentication, admission and the key admin from config.

Imported only when a master key is set: an open gateway loads no key store, limiter or
ledger and meters nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ferrogate.config import Config
from ferrogate.keys.open_store import open_key_store
from ferrogate.keys.secret import SecretHasher, pepper_from
from ferrogate.keys.store import KeyStore
from ferrogate.keys.verifier import KeyVerifier
from ferrogate.limits.open_limiter import open_limiter
from ferrogate.limits.token_count import preload
from ferrogate.spend.open_ledger import open_ledger
from ferrogate.spend.prices import PriceTable

from .admin.keys_routes import KeysAdmin
from .admission import KeyAdmission
from .auth import Authenticator


@dataclass(frozen=True, slots=True)
class Access:
    authenticator: Authenticator
    admission: KeyAdmission
    keys_admin: KeysAdmin
    store: KeyStore

    async def aclose(self) -> None:
        await self.admission.aclose()  # settles still running finish first
        await self.store.aclose()


def build_access(config: Config, master_key: str, redis_url: str | None) -> Access:
    # The token tables take ~75 ms to load: at start, not on the first request.
    preload(d.model for model in config.models for d in model.deployments)
    store = open_key_store(config.keys, redis_url)
    hasher = SecretHasher(pepper_from(config.keys, master_key))
    verifier = KeyVerifier(store, hasher, config.keys.verified_ttl_s)
    limiter = open_limiter(config.limits, redis_url)
    ledger = open_ledger(config.keys, config.limits, redis_url)
    prices = PriceTable(config.prices)
    return Access(
        Authenticator(master_key, verifier),
        KeyAdmission(limiter, ledger, prices, config.limits),
        KeysAdmin(store, hasher, verifier, limiter, ledger),
        store,
    )
