"""Workers' figures meet on a board: a shared folder, or Redis for every instance."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import anyio
import pytest

from ferrogate.shared_state.redis_client import connect
from ferrogate.stats import FolderBoard, RedisBoard, StatsRecorder, summarize
from ferrogate.stats.window import WINDOW_S
from ferrogate.telemetry.record import RequestRecord
from tests.infra import redis_stack
from tests.infra.redis_stack import RedisStack

pytestmark = pytest.mark.anyio
BACK_OFF_S = 0.2


def chat(model: str = "gpt", tokens: int = 3) -> RequestRecord:
    return RequestRecord("req", "chat", time.time(), model=model, status=200, prompt_tokens=tokens)


def served(recorder: StatsRecorder, count: int, **fields) -> None:
    for _ in range(count):
        recorder.observe(chat(**fields))


async def totals_seen_by(recorder: StatsRecorder) -> tuple[int, int, bool]:
    boards, reachable = await recorder.every_worker()
    stats = summarize(boards, time.time())
    workers = sum(1 for slots in boards.values() if slots)
    return stats["totals"]["requests"], workers, reachable


async def test_workers_sharing_a_folder_see_each_others_requests(tmp_path):
    first = StatsRecorder(FolderBoard(str(tmp_path)), known_models=["gpt"])
    second = StatsRecorder(FolderBoard(str(tmp_path)), known_models=["gpt"])
    served(first, 3)
    served(second, 4)
    assert await totals_seen_by(first) == (3, 1, True)  # nothing published yet

    await first.publish()
    await second.publish()

    assert await totals_seen_by(first) == (7, 2, True)
    assert await totals_seen_by(second) == (7, 2, True)


async def test_a_worker_that_exited_keeps_its_figures_until_they_leave_the_window(tmp_path):
    gone = StatsRecorder(FolderBoard(str(tmp_path)))
    served(gone, 5)
    await gone.aclose()  # publishes what it held
    alive = StatsRecorder(FolderBoard(str(tmp_path)))
    assert (await totals_seen_by(alive))[0] == 5

    [left] = [name for name in os.listdir(tmp_path) if name.endswith(".json")]
    long_ago = time.time() - WINDOW_S - 1
    os.utime(tmp_path / left, (long_ago, long_ago))
    assert (await totals_seen_by(alive))[0] == 0
    assert not (tmp_path / left).exists()


async def test_a_file_that_is_not_a_board_is_ignored(tmp_path):
    (tmp_path / "stray.json").write_text("not json")
    recorder = StatsRecorder(FolderBoard(str(tmp_path)))
    served(recorder, 2)
    assert await totals_seen_by(recorder) == (2, 1, True)


async def test_instances_on_one_redis_see_each_others_requests(redis_stack_url, redis_client):
    first = StatsRecorder(RedisBoard(connect(redis_stack_url)))
    second = StatsRecorder(RedisBoard(connect(redis_stack_url)))
    try:
        served(first, 2)
        served(second, 6)
        await first.publish()
        await second.publish()
        assert await totals_seen_by(first) == (8, 2, True)

        # Only the slot that changed is written again: the hash holds one field per slot.
        served(first, 1)
        await first.publish()
        assert await totals_seen_by(second) == (9, 2, True)
        [key] = redis_client.keys(f"ferrogate:stats:worker:{first.worker}")
        assert redis_client.hlen(key) == 1
        assert 0 < redis_client.ttl(key) <= WINDOW_S
    finally:
        await first.aclose()
        await second.aclose()


@pytest.fixture
def own_redis() -> Iterator[RedisStack]:
    with RedisStack() as started:  # its own: stopping it disturbs no other test
        yield started


async def test_with_redis_down_a_worker_shows_its_own_figures_and_catches_up_after(
    own_redis: RedisStack, monkeypatch: pytest.MonkeyPatch
):
    other = StatsRecorder(RedisBoard(connect(own_redis.url), back_off_s=BACK_OFF_S))
    this = StatsRecorder(RedisBoard(connect(own_redis.url), back_off_s=BACK_OFF_S))
    try:
        served(other, 4)
        await other.publish()
        own_redis.stop()

        served(this, 3)
        assert await this.publish() is False
        assert await totals_seen_by(this) == (3, 1, False)

        port = own_redis.port
        monkeypatch.setattr(redis_stack, "free_loopback_port", lambda: port)
        own_redis.start()  # empty: what the other worker published went with the old server
        await anyio.sleep(BACK_OFF_S + 0.05)
        assert await this.publish() is True  # every slot, as the board may have lost them
        assert await totals_seen_by(other) == (7, 2, True)  # its own 4 and this worker's 3

        served(other, 1)
        assert await other.publish() is True
        assert await totals_seen_by(this) == (8, 2, True)
    finally:
        await other.aclose()
        await this.aclose()
