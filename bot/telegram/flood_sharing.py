"""Flood counters shared through the database when several processes serve one bot.

Every ``SHARE_EVERY`` seconds each process publishes its own request counts per user and chat
(``bot.storage.flood``) and takes in the other live processes' counts, so a user whose
requests the load balancer spreads over N processes still meets one budget — give or take
what arrives between two publications (about one second's worth).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from bot.errors import StorageError
from bot.storage.flood import FloodCounts
from bot.telegram.flood import FloodGuard

log = logging.getLogger(__name__)
SHARE_EVERY = 1.0
#: Rows of processes silent this long are deleted (they stopped or died).
FORGET_AFTER = timedelta(minutes=10)


async def share_once(guard: FloodGuard, store: FloodCounts, process: str,
                     now: datetime | None = None) -> None:
    """Publish this process's counts and take in the others' (within the window)."""
    moment = now or datetime.now(UTC)
    await store.publish(process, guard.local_counts(), moment)
    guard.set_remote(await store.others(process, moment - timedelta(
        seconds=guard.window_seconds)))


async def share_forever(guard: FloodGuard, store: FloodCounts, process: str,
                        every: float = SHARE_EVERY) -> None:
    """``share_once`` every ``every`` seconds until cancelled (a failure is logged, retried)."""
    shared = 0
    try:
        while True:
            try:
                await share_once(guard, store, process)
                shared += 1
                if shared % 600 == 1:
                    await store.prune(datetime.now(UTC) - FORGET_AFTER)
            except (StorageError, OSError) as e:
                log.warning("cannot share flood counters: %s", e)
            await asyncio.sleep(every)
    finally:
        with contextlib.suppress(StorageError, OSError):
            await store.publish(process, {}, datetime.now(UTC))  # leave no stale budget
