"""Whale events: what changed between the positions last seen and the ones seen now.

Two sources, two honest vocabularies. An address polled *directly* gives its full position
list: a position missing now was ``closed``, a new one ``opened``. The ranked *top list* of
the whale snapshots only holds the N biggest positions: a position missing now ``left`` the
list (closed, cut or merely outranked — unknown), a new one ``entered`` it. In both, a
position present before and now is ``increased``/``reduced`` (size change of at least
``change_pct``) or ``flipped`` (other side). Events of positions smaller than
``min_notional_usd`` (before and after) are dropped; transfers from ``deposit_usd``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.market.models import Deposit, WhalePosition
from bot.storage.whales import WhaleHolding

EventKind = Literal["opened", "closed", "entered", "left", "increased", "reduced", "flipped",
                    "deposit", "withdrawal"]
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """What counts as an event (``[whales.watch]``)."""

    change_pct: float
    min_notional_usd: float
    deposit_usd: float


@dataclass(frozen=True, slots=True)
class WhaleEvent:
    """One change of one address: its position in ``coin`` before and after (``None``:
    absent), or a transfer of ``amount_usd``. ``direct``: the address was polled itself."""

    kind: EventKind
    address: str
    label: str | None
    coin: str | None
    before: WhaleHolding | None
    after: WhaleHolding | None
    direct: bool
    since: datetime | None
    at: datetime
    amount_usd: float = 0.0

    @property
    def usd(self) -> float:
        """The size the event is measured by (the larger position, or the transfer)."""
        if self.coin is None:
            return abs(self.amount_usd)
        return max(h.notional_usd for h in (self.before, self.after) if h is not None)

    @property
    def change_pct(self) -> float | None:
        """The size change in percent of the size before (increased/reduced)."""
        if self.before is None or self.after is None or self.before.size <= 0:
            return None
        return (self.after.size - self.before.size) / self.before.size * 100

    @property
    def key(self) -> str:
        """The same event seen again (a retried round after a crash) has the same key."""
        def part(h: WhaleHolding | None) -> str:
            return "-" if h is None else f"{h.side}:{h.size:.8g}"

        since = self.since.isoformat() if self.since else ""
        amount = f"{self.amount_usd:.2f}@{self.at.isoformat()}" if self.coin is None else ""
        return "|".join((self.kind, self.address, self.coin or "", since, part(self.before),
                         part(self.after), amount))


def holding_of(p: WhalePosition, label: str | None = None) -> WhaleHolding:
    """A position as the watcher keeps it."""
    return WhaleHolding(p.address.lower(), p.coin.upper(), p.side, p.size, p.notional_usd,
                        p.label or label, p.leverage)


def by_key(holdings: Iterable[WhaleHolding]) -> dict[Key, WhaleHolding]:
    """Holdings by (address, coin); the first of duplicates wins (the higher ranked)."""
    out: dict[Key, WhaleHolding] = {}
    for h in holdings:
        out.setdefault((h.address, h.coin), h)
    return out


def diff_positions(before: Mapping[Key, WhaleHolding], after: Mapping[Key, WhaleHolding],
                   *, direct: bool, since: datetime | None, at: datetime,
                   limits: Thresholds) -> list[WhaleEvent]:
    """The events between two observations of the same addresses (or of the same list),
    largest first."""
    gone: EventKind = "closed" if direct else "left"
    new: EventKind = "opened" if direct else "entered"
    events: list[WhaleEvent] = []
    for key in sorted(set(before) | set(after)):
        old, now = before.get(key), after.get(key)
        kind: EventKind | None
        if old is None:
            kind = new
        elif now is None:
            kind = gone
        elif now.side != old.side:
            kind = "flipped"
        elif old.size > 0 and abs(now.size - old.size) / old.size * 100 >= limits.change_pct:
            kind = "increased" if now.size > old.size else "reduced"
        else:
            kind = None
        if kind is None:
            continue
        label = now.label if now is not None else old.label if old is not None else None
        event = WhaleEvent(kind, key[0], label, key[1], old, now, direct, since, at)
        if event.usd >= limits.min_notional_usd:
            events.append(event)
    return sorted(events, key=lambda e: (-e.usd, e.address, e.coin or ""))


def transfer_events(deposits: Sequence[Deposit], after: datetime | None, *,
                    limits: Thresholds, label: str | None = None) -> list[WhaleEvent]:
    """Deposits and withdrawals made after ``after`` (``None``: none — a first observation
    is a baseline) from ``deposit_usd``, oldest first; ``label`` wins over theirs."""
    if after is None:
        return []
    return [WhaleEvent("deposit" if d.amount_usd > 0 else "withdrawal", d.address.lower(),
                       label or d.label, None, None, None, True, after, d.timestamp, d.amount_usd)
            for d in sorted(deposits, key=lambda d: d.timestamp)
            if d.timestamp > after and abs(d.amount_usd) >= limits.deposit_usd]


def message_key(events: Sequence[WhaleEvent]) -> str:
    """One message's dedupe key: the same events give the same key."""
    digest = hashlib.sha256("\n".join(sorted(e.key for e in events)).encode()).hexdigest()
    return f"whales:{digest[:24]}"
