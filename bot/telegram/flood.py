"""Flood control: a bounded request rate per user and per chat, a few heavy replies in flight.

Every request (a command, a button, a private message) passes ``admit`` in the gate. Over
the limit the sender gets one polite "slow down" per window and is then ignored until the
window passes, so a group is never spammed with refusals — and a flood costs the bot almost
nothing, so nobody else's reply waits behind it.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import Enum

#: Every this many admissions, windows of keys gone quiet are forgotten (flat memory).
SWEEP_EVERY = 1000


class Verdict(Enum):
    """What to do with a user's request."""

    GO = "go"
    WARN = "warn"  # over the limit: say "one moment" once
    SILENT = "silent"  # over the limit and already told


@dataclass
class RateWindow:
    """At most ``max_requests`` per ``window_seconds`` per key (a user or a chat)."""

    max_requests: int
    window_seconds: float
    _recent: dict[int, deque[float]] = field(default_factory=dict)
    _warned_at: dict[int, float] = field(default_factory=dict)
    #: requests other processes saw per key within the window (several processes, one database)
    remote: dict[int, int] = field(default_factory=dict)

    def warn_once(self, key: int, now: float) -> Verdict:
        """WARN the first time in a window, SILENT after."""
        warned = self._warned_at.get(key)
        if warned is not None and now - warned < self.window_seconds:
            return Verdict.SILENT
        self._warned_at[key] = now
        return Verdict.WARN

    def admit(self, key: int, now: float) -> Verdict:
        """Record one request of ``key``; GO unless its window is full."""
        recent = self._recent.setdefault(key, deque())
        while recent and now - recent[0] >= self.window_seconds:
            recent.popleft()
        if len(recent) + self.remote.get(key, 0) >= self.max_requests:
            return self.warn_once(key, now)
        recent.append(now)
        return Verdict.GO

    def sweep(self, now: float) -> None:
        """Forget keys with nothing inside the window."""
        for key in [k for k, r in self._recent.items()
                    if not r or now - r[-1] >= self.window_seconds]:
            del self._recent[key]
        for key in [k for k, t in self._warned_at.items() if now - t >= self.window_seconds]:
            del self._warned_at[key]

    def __len__(self) -> int:
        return len(self._recent.keys() | self._warned_at.keys())

    def counts(self, now: float) -> dict[int, int]:
        """Requests per key within the window, as this process saw them."""
        return {key: sum(1 for t in recent if now - t < self.window_seconds)
                for key, recent in self._recent.items()}


@dataclass
class FloodGuard:
    """Each user's and each chat's recent requests, and each user's in-flight heavy replies."""

    max_in_flight: int = 2
    max_requests: int = 12
    window_seconds: float = 30.0
    #: requests per window from everyone in one chat together
    max_chat_requests: int = 30
    clock: Callable[[], float] = time.monotonic
    _in_flight: dict[int, int] = field(default_factory=dict)
    _users: RateWindow | None = None
    _chats: RateWindow | None = None
    _admitted: int = 0
    _swept_at: float | None = None

    def __post_init__(self) -> None:
        self._users = RateWindow(self.max_requests, self.window_seconds)
        self._chats = RateWindow(self.max_chat_requests, self.window_seconds)

    def _windows(self) -> tuple[RateWindow, RateWindow]:
        assert self._users is not None and self._chats is not None
        return self._users, self._chats

    def admit(self, user_id: int, chat_id: int | None = None) -> Verdict:
        """Record one request of ``user_id`` (in ``chat_id``); GO unless a window is full."""
        users, chats = self._windows()
        now = self.clock()
        self._admitted += 1
        if self._swept_at is None:
            self._swept_at = now
        if self._admitted % SWEEP_EVERY == 0 or now - self._swept_at >= self.window_seconds:
            self.sweep(now)
        verdict = users.admit(user_id, now)
        if verdict is Verdict.GO and chat_id is not None and chat_id != user_id:
            verdict = chats.admit(chat_id, now)
        return verdict

    def sweep(self, now: float | None = None) -> None:
        """Forget users and chats idle for a whole window (runs by itself as requests come)."""
        users, chats = self._windows()
        now = self.clock() if now is None else now
        users.sweep(now)
        chats.sweep(now)
        self._swept_at = now

    def local_counts(self) -> dict[tuple[str, int], int]:
        """This process's requests per ``("user", id)`` and ``("chat", id)`` in the window."""
        users, chats = self._windows()
        now = self.clock()
        counts = {("user", k): n for k, n in users.counts(now).items()}
        counts.update({("chat", k): n for k, n in chats.counts(now).items()})
        return counts

    def set_remote(self, counts: dict[tuple[str, int], int]) -> None:
        """What the other processes saw (``local_counts`` of each, summed)."""
        users, chats = self._windows()
        users.remote = {k: n for (scope, k), n in counts.items() if scope == "user"}
        chats.remote = {k: n for (scope, k), n in counts.items() if scope == "chat"}

    def tracked(self) -> int:
        """Users and chats with a live window or heavy reply in flight (memory check)."""
        users, chats = self._windows()
        return len(users) + len(chats) + len(self._in_flight)

    def in_flight(self, user_id: int) -> int:
        """Heavy replies of ``user_id`` currently being produced."""
        return self._in_flight.get(user_id, 0)

    @asynccontextmanager
    async def heavy(self, user_id: int) -> AsyncIterator[Verdict]:
        """Hold one heavy slot for the block; yields WARN/SILENT when none is free."""
        if self.in_flight(user_id) >= self.max_in_flight:
            users, _ = self._windows()
            yield users.warn_once(user_id, self.clock())
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


def paced_guard(max_in_flight: int) -> FloodGuard:
    """The guard of a lone user who waits for each answer before asking again.

    The console's scripted user is the bot's only user and sends its next line only once the
    previous one is answered, so it can never have more than one request in flight: the rate
    windows (which protect a shared bot from one user's burst) have nothing to protect.
    """
    return FloodGuard(max_in_flight=max_in_flight, max_requests=sys.maxsize,
                      max_chat_requests=sys.maxsize)
