"""The atomic GCRA step in Redis: both buckets of a key, plus leases and settlements.

The arithmetic is the Rust core's (``rust/core/src/limiter/gcra.rs``): each bucket is one
theoretical arrival time (TAT), the moment it is full again. Time comes from Redis ``TIME``
inside the script, so instances whose clocks disagree still share one timeline. A bucket's
key expires when it would be full again, since a missing key reads as a full bucket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

# KEYS: requests TAT, tokens TAT.
# ARGV: limit, cost, delta, lease for requests, then the same four for tokens, then
# plenty. A limit of 0 leaves that bucket out. ``delta`` (settlements and returned leases)
# is applied first and always: positive charges into debt, negative refunds up to full. The
# costs are taken only if both buckets hold them; then the leases are taken too, but only
# if every bucket still holds ``plenty`` leases' worth afterwards.
# Returns strings: the bucket that refused (0 none, 1 requests, 2 tokens; the longer wait
# when both do), retry_after, then remaining, seconds to full and lease granted for each.
GCRA_LUA = """
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local slack = 64 * 2.220446049250313e-16
local plenty = tonumber(ARGV[9])

local buckets = {}
for i = 1, 2 do
  local limit = tonumber(ARGV[i * 4 - 3])
  if limit > 0 then
    local tat = tonumber(redis.call('GET', KEYS[i]) or now)
    local rate = limit / 60
    local debt = math.max(tat - now, 0) + tonumber(ARGV[i * 4 - 1]) / rate
    buckets[i] = {burst = limit, rate = rate, debt = math.max(debt, 0), granted = 0,
                  cost = tonumber(ARGV[i * 4 - 2]), lease = tonumber(ARGV[i * 4])}
  end
end

local function left(b)
  return math.min(math.max(b.burst - b.debt * b.rate, 0), b.burst)
end

local refused, retry = 0, 0
for i, b in pairs(buckets) do
  local capacity = b.burst / b.rate
  local over = b.debt + b.cost / b.rate - capacity
  local wait = 0
  if b.cost > b.burst then
    wait = math.huge
  elseif over > slack * (1 + math.abs(now) + capacity) then
    wait = over
  end
  if wait > retry then
    refused, retry = i, wait
  end
end

if refused == 0 then
  local roomy = next(buckets) ~= nil
  for _, b in pairs(buckets) do
    b.debt = b.debt + b.cost / b.rate
    roomy = roomy and b.lease > 0 and left(b) >= plenty * b.lease
  end
  if roomy then
    for _, b in pairs(buckets) do
      b.granted = b.lease
      b.debt = b.debt + b.lease / b.rate
    end
  end
end

local reply = {tostring(refused), string.format('%.17g', retry)}
for i = 1, 2 do
  local b = buckets[i]
  if b then
    if b.debt > 0 then
      redis.call('SET', KEYS[i], string.format('%.17g', now + b.debt),
                 'PX', math.ceil(b.debt * 1000) + 1)
    else
      redis.call('DEL', KEYS[i])
    end
    table.insert(reply, string.format('%.17g', left(b)))
    table.insert(reply, string.format('%.17g', b.debt))
    table.insert(reply, tostring(b.granted))
  else
    table.insert(reply, '0')
    table.insert(reply, '0')
    table.insert(reply, '0')
  end
end
return reply
"""

# NOTE: math.huge formats as "inf" with %.17g in Redis' Lua, which float() reads back.


@dataclass(frozen=True)
class BucketStep:
    """What Redis says of one bucket after the step (after the lease, if one was granted)."""

    remaining: float
    seconds_to_full: float
    lease_granted: int


@dataclass(frozen=True)
class StepReply:
    refused: Literal["requests", "tokens"] | None
    retry_after_s: float
    requests: BucketStep
    tokens: BucketStep


@dataclass(frozen=True)
class BucketArgs:
    """One bucket's part of a step; ``limit`` 0 leaves the bucket out."""

    limit: int = 0
    cost: float = 0.0
    delta: float = 0.0
    lease: int = 0

    def argv(self) -> list[float | int]:
        return [self.limit, self.cost, self.delta, self.lease]


class GcraScript:
    """``GCRA_LUA`` registered on a client: EVALSHA, loading the script on NOSCRIPT."""

    def __init__(self, redis: Redis, plenty: int) -> None:
        self._script = redis.register_script(GCRA_LUA)
        self._plenty = plenty

    async def step(
        self, key_id: str, requests: BucketArgs, tokens: BucketArgs, pipe: Pipeline | None = None
    ) -> StepReply | None:
        """Run one step; queued on ``pipe`` (and ``None`` returned) when one is given."""
        keys = bucket_keys(key_id)
        args = [*requests.argv(), *tokens.argv(), self._plenty]
        if pipe is not None:
            await self._script(keys=keys, args=args, client=pipe)
            return None
        return parse_reply(await self._script(keys=keys, args=args))


def bucket_keys(key_id: str) -> list[str]:
    # The hash tag keeps both buckets of a key on one Redis Cluster slot, as a script needs.
    return [f"ferrogate:rl:{{{key_id}}}:req", f"ferrogate:rl:{{{key_id}}}:tok"]


def parse_reply(reply: list[bytes]) -> StepReply:
    values = [float(item) for item in reply]
    requests = BucketStep(values[2], values[3], int(values[4]))
    tokens = BucketStep(values[5], values[6], int(values[7]))
    refused = (None, "requests", "tokens")[int(values[0])]
    return StepReply(refused, values[1], requests, tokens)
