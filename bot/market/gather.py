"""Run a venue's cached metric fetches concurrently under one deadline.

Every metric ends up either as a ``Cached`` value (fresh or stale-while-error)
or as the ``VenueError`` explaining why it is missing; a slow metric is cut at
the deadline and replaced by its last good value when there is one. Fetches run
with ``bot.market.deadline.current()`` set to the deadline, and any failure of a
fetch — its parsing included — is translated, so nothing here ever raises.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from functools import partial
from typing import Any

from bot.errors import VenueError, VenueTimeoutError
from bot.market.cache import Cached, TtlCache, note_expiry
from bot.market.ccxt_errors import call_translated, translate
from bot.market.deadline import Deadline, context_with

Outcome = Cached[Any] | VenueError
Fetch = Callable[[], Awaitable[Any]]


async def gather_metrics(
    venue: str,
    cache: TtlCache,
    jobs: dict[str, tuple[Hashable, float, Fetch]],
    deadline: Deadline,
) -> dict[str, Outcome]:
    """``{metric: outcome}`` for ``jobs`` = ``{metric: (cache key, ttl, fetch)}``."""
    ctx = context_with(deadline)
    loop = asyncio.get_running_loop()
    tasks = {
        metric: loop.create_task(
            cache.get(key, ttl, partial(call_translated, venue, fetch)), context=ctx
        )
        for metric, (key, ttl, fetch) in jobs.items()
    }
    if tasks:
        await asyncio.wait(tasks.values(), timeout=deadline.remaining())
    outcomes: dict[str, Outcome] = {}
    for metric, task in tasks.items():
        if task.done() and not task.cancelled():
            error = task.exception()
            if error is None:
                outcomes[metric] = task.result()
            else:
                outcomes[metric] = translate(venue, error)
            continue
        task.cancel()
        note_expiry(cache.now())  # cut at the deadline: ask again next time
        stale = cache.last_good(jobs[metric][0])
        outcomes[metric] = stale if stale is not None else VenueTimeoutError(
            venue, "deadline passed"
        )
    return outcomes
