"""One deadline per snapshot: everything a venue contributes shares ``timeout_seconds``.

A ``Deadline`` is a point on the monotonic clock. ``gather_metrics`` runs each
venue's fetches in a context where ``current()`` is that venue's deadline, so a
retry, a backoff, a 429's Retry-After or a wait for the market list deep inside
a fetch knows how much time is left without threading it through every call.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass

_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "venue_deadline", default=None
)


@dataclass(frozen=True, slots=True)
class Deadline:
    """The monotonic time by which an answer must be in."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(time.monotonic() + seconds)

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.at - time.monotonic())

    @property
    def passed(self) -> bool:
        """Whether no time is left."""
        return self.remaining() <= 0.0


def current() -> Deadline | None:
    """The deadline of the fetch running in this context, if any."""
    return _CURRENT.get()


def context_with(deadline: Deadline) -> contextvars.Context:
    """A copy of the current context whose ``current()`` is ``deadline`` (for new tasks)."""
    ctx = contextvars.copy_context()
    ctx.run(_CURRENT.set, deadline)
    return ctx


def fresh_context() -> contextvars.Context:
    """A copy of the current context with no deadline (for background work)."""
    ctx = contextvars.copy_context()
    ctx.run(_CURRENT.set, None)
    return ctx
