"""Subscription reads and delivery-log writes per second, SQLite and PostgreSQL side by side.

    .venv/bin/python bench/bench_storage.py [--subscriptions 500] [--seconds 3]

Both engines run the same store code on this machine: SQLite in a temp file (WAL, as the bot
opens it), PostgreSQL on a test server started here (tests/fakes/pg_server.py, fsync off as
in the tests, so its figure is the driver and round-trip cost, not the disk). Reads: the
digest job's query (``active_for``: every active subscription of one schedule). Writes: one
delivery-log record per call (``record``: upsert plus commit), as the fan-out writes them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.storage import Storage
from tests.fakes.pg_server import start_postgres

SCHEDULE = "daily 08:00"


async def _rate(action: Callable[[int], Awaitable[object]], seconds: float) -> float:
    """Calls of ``action`` per second over ``seconds``."""
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        await action(done)
        done += 1
    return done / elapsed


async def _measure(target: str, subscriptions: int, seconds: float) -> tuple[float, float]:
    """(subscription reads/s, delivery-log writes/s) on the database at ``target``."""
    storage = await Storage.open(target)
    store = storage.subscriptions
    try:
        ids = [await store.add(10_000 + i, None, ("BTC",), SCHEDULE) for i in range(subscriptions)]
        reads = await _rate(lambda _: store.active_for(SCHEDULE, "UTC"), seconds)
        slot = datetime(2026, 1, 1, 8, tzinfo=UTC)

        async def write(n: int) -> None:
            sub = ids[n % len(ids)]
            await store.record([sub], 10_000 + n % len(ids),
                               slot + timedelta(days=n // len(ids)), "sent")

        writes = await _rate(write, seconds)
    finally:
        await storage.close()
    return reads, writes


async def main(subscriptions: int, seconds: float) -> None:
    """Measure both engines and print them side by side."""
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = await _measure(str(Path(tmp) / "bench.sqlite3"), subscriptions, seconds)
    server = start_postgres()
    try:
        postgres = await _measure(server.create_database("bench"), subscriptions, seconds)
    finally:
        server.stop()
    print(f"{subscriptions} subscriptions, {seconds:.0f} s per figure")
    print(f"{'':28}{'SQLite':>12}{'PostgreSQL':>12}{'PG/SQLite':>11}")
    for name, a, b in (("subscription reads/s", sqlite[0], postgres[0]),
                       ("delivery-log writes/s", sqlite[1], postgres[1])):
        print(f"{name:28}{a:12.0f}{b:12.0f}{b / a:11.2f}")
    print(f"(a read returns all {subscriptions} subscriptions of the schedule)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscriptions", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    asyncio.run(main(args.subscriptions, args.seconds))
