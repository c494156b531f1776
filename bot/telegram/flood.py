"""Per-user flood control: a few heavy replies in flight and a bounded request rate.

Over the limit the user gets one polite "one moment" per window and is then
ignored until the window passes, so a group is never spammed with refusals.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    """What to do with a user's request."""

    GO = "go"
    WARN = "warn"  # over the limit: say "one moment" once
    SILENT = "silent"  # over the limit and already told


@dataclass
class FloodGuard:
    """Counts each user's in-flight heavy replies and recent requests."""

    max_in_flight: int = 2
    max_requests: int = 12
    window_seconds: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _in_flight: dict[int, int] = field(default_factory=dict)
    _recent: dict[int, deque[float]] = field(default_factory=dict)
    _warned_at: dict[int, float] = field(default_factory=dict)

    def _verdict(self, user_id: int, busy: bool) -> Verdict:
        now = self.clock()
        if not busy:
            return Verdict.GO
        warned = self._warned_at.get(user_id)
        if warned is not None and now - warned < self.window_seconds:
            return Verdict.SILENT
        self._warned_at[user_id] = now
        return Verdict.WARN

    def admit(self, user_id: int) -> Verdict:
        """Record one request of ``user_id``; GO unless the rate window is full."""
        now = self.clock()
        recent = self._recent.setdefault(user_id, deque())
        while recent and now - recent[0] >= self.window_seconds:
            recent.popleft()
        if len(recent) >= self.max_requests:
            return self._verdict(user_id, busy=True)
        recent.append(now)
        return Verdict.GO

    def in_flight(self, user_id: int) -> int:
        """Heavy replies of ``user_id`` currently being produced."""
        return self._in_flight.get(user_id, 0)

    @asynccontextmanager
    async def heavy(self, user_id: int) -> AsyncIterator[Verdict]:
        """Hold one heavy slot for the block; yields WARN/SILENT when none is free."""
        if self.in_flight(user_id) >= self.max_in_flight:
            yield self._verdict(user_id, busy=True)
            return
        self._in_flight[user_id] = self.in_flight(user_id) + 1
        try:
            yield Verdict.GO
        finally:
            left = self._in_flight[user_id] - 1
            if left:
                self._in_flight[user_id] = left
            else:
                del self._in_flight[user_id]
