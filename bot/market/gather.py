"""Run a venue's cached metric fetches concurrently under one deadline.

Every metric ends up either as a ``Cached`` value (fresh or stale-while-error)
or as the ``VenueError`` explaining why it is missing; a slow metric is cut at
the deadline and replaced by its last good value when there is one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from bot.errors import VenueError, VenueTimeoutError
from bot.market.cache import Cached, TtlCache

Outcome = Cached[Any] | VenueError
Fetch = Callable[[], Awaitable[Any]]


async def gather_metrics(
    venue: str,
    cache: TtlCache,
    jobs: dict[str, tuple[Hashable, float, Fetch]],
    deadline_seconds: float,
) -> dict[str, Outcome]:
    """``{metric: outcome}`` for ``jobs`` = ``{metric: (cache key, ttl, fetch)}``."""
    tasks = {
        metric: asyncio.ensure_future(cache.get(key, ttl, fetch))
        for metric, (key, ttl, fetch) in jobs.items()
    }
    if tasks:
        await asyncio.wait(tasks.values(), timeout=deadline_seconds)
    outcomes: dict[str, Outcome] = {}
    for metric, task in tasks.items():
        if task.done() and not task.cancelled():
            error = task.exception()
            if error is None:
                outcomes[metric] = task.result()
            elif isinstance(error, VenueError):
                outcomes[metric] = error
            else:
                raise error
            continue
        task.cancel()
        stale = cache.last_good(jobs[metric][0])
        outcomes[metric] = stale if stale is not None else VenueTimeoutError(
            venue, "timed out"
        )
    return outcomes
