"""What every chat-management use case shares: where a request comes from, what it answers.

The desks (subscriptions, alerts) return a :class:`Reply` — a reply code and the values its
template shows — and never words; the transport renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Longest id a user may type for a subscription or an alert (5,000 digits are not parsed).
MAX_ID_DIGITS = 18


@dataclass(frozen=True, slots=True)
class Destination:
    """Where messages go: a chat (its type as Telegram names it) and maybe a forum topic."""

    chat_id: int
    kind: str
    thread_id: int | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply code (``what``) and the values its template shows."""

    what: str
    values: dict[str, Any]
