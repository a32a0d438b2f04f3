"""What the dashboard's figures cost: counting a request into a slot, a worker's publish to
a folder board, and one /admin/stats summary over full windows from several workers.

    .venv/bin/python bench/dashboard_stats.py

Records are streamed chat requests with a key, usage, a cache result and one attempt: the
most a request counts. Medians of 7 rounds.
"""

import asyncio
import statistics
import tempfile
import time

from ferrogate.stats import FolderBoard, StatsRecorder, summarize
from ferrogate.stats.window import SLOT_S, WINDOW_S, Window
from ferrogate.telemetry.metrics_labels import ModelLabels
from ferrogate.telemetry.record import RequestRecord

RECORDS, ROUNDS, WORKERS, MODELS, KEYS = 20_000, 7, 4, 5, 50


def records(ended_at: float, count: int = RECORDS) -> list[RequestRecord]:
    made = []
    for n in range(count):
        record = RequestRecord(
            "r", "chat", ended_at - 0.2, model=f"model-{n % MODELS}", key_id=f"key-{n % KEYS}",
            status=200, duration_s=0.2, overhead_s=0.0001, stream=True, ttft_s=0.05,
            prompt_tokens=20, completion_tokens=90, cost_usd=0.0002, cache="miss",
            cache_similarity=0.7,
        )  # fmt: skip
        record.attempt_log = [(f"model-{n % MODELS}#0", "openai", 1.0, 1.05, None)]
        made.append(record)
    return made


def full_window(now: float) -> Window:
    """Fifteen minutes of slots, each with every model, key and deployment in it."""
    window = Window(clock=lambda: now)
    labels = ModelLabels(None)
    for age in range(0, WINDOW_S, SLOT_S):
        window.count(records(now - age, MODELS * KEYS), labels)
    return window


async def main() -> None:
    now = time.time()
    labels = ModelLabels(None)
    batch = records(now)
    count_us, publish_ms, summary_ms = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        recorder = StatsRecorder(FolderBoard(folder), window=full_window(now))
        windows = {f"w{n}": full_window(now).slots for n in range(WORKERS)}
        for _ in range(ROUNDS):
            window = Window(clock=lambda: now)
            started = time.perf_counter()
            window.count(batch, labels)
            count_us.append((time.perf_counter() - started) / RECORDS * 1e6)

            changed = set(recorder.window.slots)
            started = time.perf_counter()
            await recorder.board.publish(recorder.worker, recorder.window, changed, [])
            publish_ms.append((time.perf_counter() - started) * 1000)

            started = time.perf_counter()
            summarize(windows, now)
            summary_ms.append((time.perf_counter() - started) * 1000)
    print(f"count a request into its slot:        {statistics.median(count_us):7.2f} µs")
    print(f"publish a full window (folder board): {statistics.median(publish_ms):7.2f} ms")
    print(f"/admin/stats summary, {WORKERS} full windows: {statistics.median(summary_ms):7.2f} ms")
    print(f"({WINDOW_S // SLOT_S} slots a window, {MODELS} models, {KEYS} keys in each slot)")


if __name__ == "__main__":
    asyncio.run(main())
