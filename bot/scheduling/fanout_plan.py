"""Fan-out planning: one rendering per (symbol, slot), one message set per chat. Pure.

The scheduled job hands in every subscription due at a slot. The plan says which
(symbol, slot) articles to build — each exactly once, however many chats want it — and,
per destination (chat and forum topic), which of those articles to send and which
subscriptions the delivery settles. Two subscriptions of one chat due at the same slot share
one delivery, and a symbol both ask for is sent once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DueSubscription:
    """A subscription due at ``slot`` (aware UTC) for a chat, maybe inside a forum topic."""

    subscription_id: int
    chat_id: int
    symbols: tuple[str, ...]
    slot: datetime
    thread_id: int | None = None


@dataclass(frozen=True, order=True)
class RenderKey:
    """One shared rendering: the article for ``symbol`` at ``slot``."""

    symbol: str
    slot: datetime


@dataclass(frozen=True)
class ChatDelivery:
    """What one destination receives at one slot, and which subscriptions it settles."""

    chat_id: int
    thread_id: int | None
    slot: datetime
    symbols: tuple[str, ...]
    subscription_ids: tuple[int, ...]

    @property
    def render_keys(self) -> tuple[RenderKey, ...]:
        """The shared renderings this delivery is assembled from, in the chat's order."""
        return tuple(RenderKey(symbol, self.slot) for symbol in self.symbols)


@dataclass(frozen=True)
class FanoutPlan:
    """Renderings to build once, then deliveries to assemble from them."""

    renders: tuple[RenderKey, ...]
    deliveries: tuple[ChatDelivery, ...]


def plan_fanout(due: Iterable[DueSubscription]) -> FanoutPlan:
    """Group due subscriptions by (chat, topic, slot), keeping each chat's symbol order.

    Deliveries are ordered by slot, then chat, then topic, so a run is reproducible.
    """
    symbols: dict[tuple[int, int, datetime], list[str]] = {}
    subscriptions: dict[tuple[int, int, datetime], list[int]] = {}
    threads: dict[tuple[int, int, datetime], int | None] = {}
    for sub in due:
        if sub.slot.utcoffset() is None:
            raise ValueError(f"slot of subscription {sub.subscription_id} is not timezone-aware")
        # -1 stands for "no topic" so keys sort; real topic ids are positive.
        key = (sub.chat_id, -1 if sub.thread_id is None else sub.thread_id, sub.slot)
        threads[key] = sub.thread_id
        chat_symbols = symbols.setdefault(key, [])
        chat_symbols.extend(s for s in dict.fromkeys(sub.symbols) if s not in chat_symbols)
        if sub.subscription_id not in subscriptions.setdefault(key, []):
            subscriptions[key].append(sub.subscription_id)
    ordered = sorted(symbols, key=lambda k: (k[2], k[0], k[1]))
    deliveries = tuple(
        ChatDelivery(
            chat_id=key[0],
            thread_id=threads[key],
            slot=key[2],
            symbols=tuple(symbols[key]),
            subscription_ids=tuple(subscriptions[key]),
        )
        for key in ordered
    )
    renders = sorted({rk for d in deliveries for rk in d.render_keys})
    return FanoutPlan(renders=tuple(renders), deliveries=deliveries)
