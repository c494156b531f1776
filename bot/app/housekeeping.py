"""Housekeeping: what the database forgets, and when (one job for every table)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.errors import StorageError
from bot.storage import Storage

log = logging.getLogger(__name__)
#: How often the prune runs (and once at start-up).
PRUNE_EVERY = timedelta(hours=6)
#: Settled updates are kept this long (a redelivered update is recognised meanwhile).
KEEP_SETTLED_UPDATES = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Pruned:
    """Rows one prune removed, per kind."""

    posts: int = 0
    updates: int = 0
    deliveries: int = 0


async def prune(storage: Storage, retention: timedelta, now: datetime | None = None) -> Pruned:
    """Forget stored posts, settled updates and delivery records past their keep.

    A storage fault is logged and the prune waits for its next round.
    """
    now = now or datetime.now(UTC)
    try:
        pruned = Pruned(
            posts=await storage.prune(retention, now),
            updates=await storage.inbox.prune(now - KEEP_SETTLED_UPDATES),
            deliveries=await storage.subscriptions.prune(now - retention),
        )
    except StorageError as e:
        log.warning("pruning failed: %s", e)
        return Pruned()
    if pruned != Pruned():
        log.info("pruned %d stored posts, %d handled updates, %d delivery records",
                 pruned.posts, pruned.updates, pruned.deliveries)
    return pruned
