"""The soak's load: a steady rate of mixed requests from an asyncio client in its own process.

A pacer puts one job on a queue every 1/rate seconds; a fixed set of workers takes them. Each
worker has its own keep-alive connection, held for the whole run (and reopened at once after
it leaves a stream on purpose), so the gateway's descriptors for clients stay at one per
worker and a growth in its count is the gateway's, not the load's. When every worker is busy
and the queue is full the job is counted `skipped`: the rate was not kept.
"""

import asyncio
import contextlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

import aiohttp
from gateway_config import RAW_MODEL, RETRIED_MODEL
from outcomes import SharedCounts
from soak_keys import SoakKeys

WORKERS = 64
QUEUE_DEPTH = 32
REQUEST_TIMEOUT_S = 30
# Kind of request -> share of the traffic, in percent. A keepable miss costs the gateway ~6 ms
# of CPU (the local embedder reads its prompt) against ~0.3 ms for a request that bypasses the
# cache, so most new prompts bypass it (`cache-control: no-cache, no-store`, as a client that
# wants a fresh answer sends) and one kind fills it: otherwise one worker on this 2-core
# machine tops out near 160 req/s and the soak would measure a backlog, not a steady state.
MIX = {
    "chat": 30,  # a new prompt, cache bypassed
    "chat-raw": 10,  # the same on the model without retries: the mock's faults show as 5xx
    "stream": 15,  # a new prompt streamed to the end, cache bypassed
    "cached": 10,  # a new prompt through the cache: a miss, an embedding, then a fill
    "repeat-chat": 10,  # one of a few prompts asked again: exact cache hits
    "repeat-stream": 5,  # the same, streamed (a cached answer replayed as SSE)
    "limited": 10,  # the low-rpm key, cache bypassed: refused with 429 part of the time
    "leave": 10,  # a stream the client leaves after its first chunk, cache bypassed
}
CACHED_KINDS = frozenset({"cached", "repeat-chat", "repeat-stream"})
BYPASS = {"cache-control": "no-cache, no-store"}
REPEATED_PROMPTS = tuple(f"Name a colour of the rainbow, number {n}." for n in range(16))
WORDS = (
    "river",
    "mountain",
    "lantern",
    "copper",
    "violin",
    "harbour",
    "meadow",
    "glacier",
    "orchard",
    "falcon",
    "ember",
    "compass",
    "velvet",
    "thunder",
    "pepper",
    "marble",
    "canyon",
    "willow",
    "saffron",
    "beacon",
    "quartz",
    "tundra",
    "bramble",
    "cobalt",
    "fable",
    "gallery",
    "harvest",
    "island",
    "jasmine",
    "kettle",
    "lagoon",
    "mosaic",
)
LIMITED_SHARE = 0.5  # of the limited key's requests, the ones that stream


@dataclass(frozen=True)
class Job:
    body: bytes
    headers: dict[str, str]
    stream: bool
    leave: bool = False


def plan_job(kind: str, keys: SoakKeys, rng: random.Random) -> Job:
    if kind.startswith("repeat-"):
        prompt = rng.choice(REPEATED_PROMPTS)
    else:
        prompt = " ".join(rng.sample(WORDS, 6)) + f" {rng.randrange(10**9)}?"
    stream = kind in ("stream", "repeat-stream", "leave") or (
        kind == "limited" and rng.random() < LIMITED_SHARE
    )
    body = {
        "model": RAW_MODEL if kind == "chat-raw" else RETRIED_MODEL,
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0,  # cacheable, when the headers let it be
        "max_tokens": 16,
        "stream": stream,
    }
    key = keys.limited if kind == "limited" else keys.roomy
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    if kind not in CACHED_KINDS:
        headers |= BYPASS
    return Job(json.dumps(body).encode(), headers, stream, leave=kind == "leave")


async def send(session: aiohttp.ClientSession, url: str, job: Job) -> str:
    """The outcome (outcomes.OUTCOMES) of one request."""
    try:
        async with session.post(url, data=job.body, headers=job.headers) as response:
            if response.status != 200 or not job.stream:
                await response.read()
                return _status_outcome(response.status)
            if job.leave:
                await response.content.readany()
                response.close()  # drops the connection mid-stream, as a leaving client does
                return "left"
            return await _read_stream(response)
    except (aiohttp.ClientError, TimeoutError):
        return "other"


def _status_outcome(status: int) -> str:
    if 200 <= status < 300:
        return "2xx"
    if status == 429:
        return "429"
    return "5xx" if status >= 500 else "other"


async def _read_stream(response: aiohttp.ClientResponse) -> str:
    async for line in response.content:
        if line.startswith(b"data: [DONE]"):
            return "2xx"
        if line.startswith(b'data: {"error"'):
            return "cut"
    return "other"  # ended without [DONE] or an error event: what the gateway promises never


async def _worker(
    queue: asyncio.Queue[Job], base_url: str, counts: SharedCounts, timeout: aiohttp.ClientTimeout
) -> None:
    # One connection per worker, kept as long as the run (no idle expiry: see the docstring).
    connector = aiohttp.TCPConnector(limit=1, keepalive_timeout=3600)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        while True:
            job = await queue.get()
            outcome = await send(session, f"{base_url}/v1/chat/completions", job)
            counts.add(outcome)
            queue.task_done()
            if outcome == "left":
                # Reconnect now rather than on the next job, so that the worker's connection
                # is missing for milliseconds, not for as long as it waits for work.
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with session.get(f"{base_url}/health") as health:
                        await health.read()


async def drive(
    base_url: str, keys: SoakKeys, rate: float, counts: SharedCounts, should_stop
) -> None:
    rng = random.Random(9)
    kinds: Sequence[str] = list(MIX)
    weights = list(MIX.values())
    queue: asyncio.Queue[Job] = asyncio.Queue(QUEUE_DEPTH)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    workers = [
        asyncio.create_task(_worker(queue, base_url, counts, timeout)) for _ in range(WORKERS)
    ]
    loop = asyncio.get_running_loop()
    interval, due = 1 / rate, loop.time()
    while not should_stop():
        due += interval
        if (delay := due - loop.time()) > 0:
            await asyncio.sleep(delay)
        job = plan_job(rng.choices(kinds, weights)[0], keys, rng)
        try:
            queue.put_nowait(job)
        except asyncio.QueueFull:
            counts.add("skipped")
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)


def run_traffic(base_url: str, keys: SoakKeys, rate: float, counts: SharedCounts, stop) -> None:
    """The load process's entry point: drives until the multiprocessing Event `stop` is set."""
    asyncio.run(drive(base_url, keys, rate, counts, stop.is_set))
