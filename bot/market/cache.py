"""A TTL cache with single-flight and stale-while-error, keyed per (venue, metric, symbol).

* fresh: a value younger than its TTL is returned without an upstream call;
* single-flight: concurrent callers of the same key share one upstream call
  (the call runs in its own task, so a caller's timeout does not cancel it);
* stale-while-error: when the call fails with a ``VenueError`` and a last good
  value younger than ``stale_max_seconds`` exists, that value is returned with
  its age and ``stale=True``; permanent errors are remembered for one TTL so a
  broken venue is not asked again by every caller.

``collect_expiries()`` lets a caller learn until when everything it read stays fresh:
every ``get`` in that context (and in tasks started from it) notes when its value expires
(a stale value or an error: now), so a snapshot built from cached parts can be reused
until its first part would be fetched again.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.errors import VenueError

T = TypeVar("T")
Clock = Callable[[], float]
_EXPIRIES: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar(
    "cache_expiries", default=None)


def collect_expiries() -> list[float]:
    """From now on in this context, every cache read appends when its value expires here."""
    expiries: list[float] = []
    _EXPIRIES.set(expiries)
    return expiries


def note_expiry(expires_at: float) -> None:
    """Tell the collector of this context (if any) that what was read expires at ``expires_at``."""
    expiries = _EXPIRIES.get()
    if expiries is not None:
        expiries.append(expires_at)


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    """A value from the cache with its age in seconds; ``stale`` after a venue error."""

    value: T
    age_seconds: float
    stale: bool = False
    error: VenueError | None = None


@dataclass(slots=True)
class _Entry:
    value: Any
    stored_at: float


@dataclass(slots=True)
class _Failure:
    error: VenueError
    failed_at: float


class TtlCache:
    """TTL + single-flight + stale-while-error cache of async fetches."""

    def __init__(self, stale_max_seconds: float, clock: Clock = time.monotonic) -> None:
        self._stale_max = stale_max_seconds
        self._clock = clock
        self._entries: dict[Hashable, _Entry] = {}
        self._failures: dict[Hashable, _Failure] = {}
        self._inflight: dict[Hashable, asyncio.Task[Any]] = {}
        self.upstream_calls = 0

    async def get(
        self, key: Hashable, ttl: float, fetch: Callable[[], Awaitable[T]]
    ) -> Cached[T]:
        """The value of ``key``: cached if fresh, else fetched once for all concurrent callers."""
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and now - entry.stored_at < ttl:
            note_expiry(entry.stored_at + ttl)
            return Cached(entry.value, now - entry.stored_at)
        failure = self._failures.get(key)
        if failure is not None and not failure.error.temporary and now - failure.failed_at < ttl:
            note_expiry(failure.failed_at + ttl)
            return self._stale_or_raise(key, failure.error)
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch(key, fetch))
            task.add_done_callback(_retrieve_exception)
            self._inflight[key] = task
        try:
            value = await asyncio.shield(task)
        except VenueError as e:  # a temporary failure is asked again next time
            note_expiry(self._clock() + (0.0 if e.temporary else ttl))
            return self._stale_or_raise(key, e)
        note_expiry(self._clock() + ttl)
        return Cached(value, 0.0)

    def now(self) -> float:
        """The cache's clock (what ``collect_expiries`` times are measured on)."""
        return self._clock()

    async def _fetch(self, key: Hashable, fetch: Callable[[], Awaitable[T]]) -> T:
        self.upstream_calls += 1
        try:
            value = await fetch()
        except VenueError as e:
            self._failures[key] = _Failure(e, self._clock())
            raise
        finally:
            self._inflight.pop(key, None)
        self._entries[key] = _Entry(value, self._clock())
        self._failures.pop(key, None)
        return value

    def _stale_or_raise(self, key: Hashable, error: VenueError) -> Cached[Any]:
        good = self.last_good(key)
        if good is None:
            raise error
        return Cached(good.value, good.age_seconds, stale=True, error=error)

    def last_good(self, key: Hashable) -> Cached[Any] | None:
        """The last good value of ``key`` as stale if younger than ``stale_max_seconds``."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        age = self._clock() - entry.stored_at
        return Cached(entry.value, age, stale=True) if age <= self._stale_max else None

    async def close(self) -> None:
        """Cancel fetches still in flight."""
        tasks = list(self._inflight.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._inflight.clear()


def _retrieve_exception(task: asyncio.Task[Any]) -> None:
    """Mark a failed fetch's exception as seen even when every waiter gave up."""
    if not task.cancelled():
        task.exception()
