"""Spend totals in Redis, shared by every instance.

One hash per key and period, `ferrogate:spend:{<key_id>}:<period_start>` (`lifetime`
without a period), with `spent` and `held` in micro-dollars. The braces keep a key's
hashes in one Redis Cluster slot. A period's hash expires an hour after the period ends.
A claim is one Lua call; a flush is one pipeline of one Lua call per hash.
"""

from __future__ import annotations

from redis.exceptions import NoScriptError

from ferrogate.shared_state.redis_client import connect
from ferrogate.spend.tally import Change, Reading, Slot

_SOCKET_TIMEOUT_S = 0.5  # a claim is one small script; longer means Redis is in trouble
_CONNECT_TIMEOUT_S = 0.25

# Shared by both scripts: add ARGV[1] to spent and ARGV[2] to held (never below 0).
_ADD = """
local totals = redis.call('HMGET', KEYS[1], 'spent', 'held')
local spent = tonumber(totals[1] or '0') + tonumber(ARGV[1])
local held = math.max(0, tonumber(totals[2] or '0') + tonumber(ARGV[2]))
local changed = ARGV[1] ~= '0' or ARGV[2] ~= '0'
"""
_SAVE = """
if changed then
  redis.call('HSET', KEYS[1], 'spent', string.format('%d', spent),
             'held', string.format('%d', held))
  if ARGV[3] ~= '0' then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
end
"""
# ARGV: spent change, held change, seconds to keep (0: for ever), cost, budget.
_CLAIM = (
    _ADD
    + """
local claimed = 0
if spent + held + tonumber(ARGV[4]) <= tonumber(ARGV[5]) then
  claimed = 1
  if ARGV[4] ~= '0' then held = held + tonumber(ARGV[4]); changed = true end
end
"""
    + _SAVE
    + "return {claimed, spent, held}"
)
# ARGV: spent change, held change, seconds to keep (0: for ever).
_APPLY = _ADD + _SAVE + "return {spent, held}"


class RedisSpendStore:
    def __init__(self, redis_url: str):
        self._redis = connect(
            redis_url,
            max_connections=32,
            pool_timeout_s=_SOCKET_TIMEOUT_S,
            socket_timeout_s=_SOCKET_TIMEOUT_S,
            connect_timeout_s=_CONNECT_TIMEOUT_S,
        )
        self._claim = self._redis.register_script(_CLAIM)
        self._apply = self._redis.register_script(_APPLY)

    async def claim(
        self, slot: Slot, change: Change, cost: int, budget: int, keep_s: float | None
    ) -> tuple[bool, Reading]:
        args = [change.spent, change.held, _keep_arg(keep_s), cost, budget]
        claimed, spent, held = await self._claim(keys=[hash_key(slot)], args=args)
        return bool(claimed), Reading(int(spent), int(held))

    async def apply(self, changes: list[tuple[Slot, Change, float | None]]) -> list[Reading]:
        try:
            replies = await self._apply_all(changes)
        except NoScriptError:  # a restarted Redis forgot the script
            await self._redis.script_load(_APPLY)
            replies = await self._apply_all(changes)
        return [Reading(int(spent), int(held)) for spent, held in replies]

    async def aclose(self) -> None:
        await self._redis.aclose()

    async def _apply_all(self, changes: list[tuple[Slot, Change, float | None]]) -> list:
        async with self._redis.pipeline(transaction=False) as pipe:
            for slot, change, keep_s in changes:
                args = (change.spent, change.held, _keep_arg(keep_s))
                pipe.evalsha(self._apply.sha, 1, hash_key(slot), *args)
            return await pipe.execute()


def hash_key(slot: Slot) -> str:
    period = "lifetime" if slot.period_s is None else str(int(slot.period_start))
    return f"ferrogate:spend:{{{slot.key_id}}}:{period}"


def _keep_arg(keep_s: float | None) -> int:
    return 0 if keep_s is None else max(1, int(keep_s))
