"""Telegram's sending limits, enforced by the fake Bot API when switched on.

About 30 messages per second overall and 20 per minute into one group; beyond
that Telegram answers 429 with ``retry_after``. A bot that keeps sending during
the advised pause is recorded as a violation.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "editMessageText"})


@dataclass
class SendLimits:
    """Sliding windows per bot and per group; ``check`` returns a retry_after or None."""

    per_second: int = 30
    per_group_per_minute: int = 20
    clock: Callable[[], float] = time.monotonic
    rejected: int = 0
    _overall: deque[float] = field(default_factory=deque)
    _groups: dict[int, deque[float]] = field(default_factory=dict)

    def check(self, chat_id: int) -> int | None:
        """Record one send to ``chat_id``; the seconds to wait when over a limit."""
        now = self.clock()
        wait = _over(self._overall, now, 1.0, self.per_second)
        if chat_id < 0:
            group = self._groups.setdefault(chat_id, deque())
            wait = max(wait or 0, _over(group, now, 60.0, self.per_group_per_minute) or 0) or None
        if wait is not None:
            self.rejected += 1
            return wait
        self._overall.append(now)
        if chat_id < 0:
            self._groups[chat_id].append(now)
        return None


def _over(window: deque[float], now: float, span: float, limit: int) -> int | None:
    while window and now - window[0] >= span:
        window.popleft()
    if len(window) < limit:
        return None
    return max(1, math.ceil(span - (now - window[0])))
