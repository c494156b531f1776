"""Liquidation bursts (pure): liquidations summed per coin per minute, a burst when one
side's total over the rolling window reaches the coin's threshold.

One :class:`Burst` per burst: while the window stays at or above the threshold the burst
continues silently; a new one is announced only after the coin spent ``quiet_minutes``
below it. Time is the liquidations' own (``Liquidation.at``), so replayed streams give
the same bursts as live ones. The price move is read from the liquidation fills: the
first fill of the window to the last.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.market.liquidations import Liquidation, Side

MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Burst:
    """A burst of one coin: ``side`` liquidated for ``notional_usd`` within ``minutes``
    (the other side's total alongside), the fill price moving ``price_from`` → ``price_to``."""

    coin: str
    side: Side
    notional_usd: float
    other_usd: float
    minutes: int
    started_at: datetime
    at: datetime
    price_from: float
    price_to: float
    count: int
    venues: tuple[str, ...]

    @property
    def price_change(self) -> float:
        """Last fill minus first fill (negative: the price fell)."""
        return self.price_to - self.price_from


@dataclass
class _Minute:
    """One coin's liquidations within one minute."""

    usd: dict[str, float] = field(default_factory=lambda: {"long": 0.0, "short": 0.0})
    first: Liquidation | None = None
    last: Liquidation | None = None
    count: int = 0
    venues: set[str] = field(default_factory=set)

    def add(self, liq: Liquidation) -> None:
        self.usd[liq.side] += liq.notional_usd
        if self.first is None or liq.at < self.first.at:
            self.first = liq
        if self.last is None or liq.at >= self.last.at:
            self.last = liq
        self.count += 1
        self.venues.add(liq.venue)


@dataclass
class _Coin:
    minutes: dict[datetime, _Minute] = field(default_factory=dict)
    hot_at: datetime | None = None  # last time the window was at or above the threshold


class BurstDetector:
    """Feeds on liquidations; says when a coin's window makes a new burst."""

    def __init__(self, window_minutes: int, threshold: Callable[[str], float],
                 quiet_minutes: int) -> None:
        self.window = timedelta(minutes=window_minutes)
        self.quiet = timedelta(minutes=quiet_minutes)
        self._threshold = threshold
        self._coins: dict[str, _Coin] = {}

    def add(self, liquidations: Iterable[Liquidation]) -> list[Burst]:
        """Count ``liquidations``; the bursts they start (at most one per coin)."""
        touched: dict[str, datetime] = {}
        for liq in liquidations:
            coin = self._coins.setdefault(liq.coin, _Coin())
            minute = liq.at.replace(second=0, microsecond=0)
            coin.minutes.setdefault(minute, _Minute()).add(liq)
            touched[liq.coin] = max(touched.get(liq.coin, liq.at), liq.at)
        found = []
        for name, now in touched.items():
            burst = self._check(name, now)
            if burst is not None:
                found.append(burst)
        return found

    def _check(self, name: str, now: datetime) -> Burst | None:
        coin = self._coins[name]
        start = now.replace(second=0, microsecond=0) - self.window + MINUTE
        for minute in [m for m in coin.minutes if m < start]:
            del coin.minutes[minute]
        window = [coin.minutes[m] for m in sorted(coin.minutes)]
        totals = {side: sum(m.usd[side] for m in window) for side in ("long", "short")}
        side: Side = "long" if totals["long"] >= totals["short"] else "short"
        if not window or totals[side] < self._threshold(name):
            return None
        continuing = coin.hot_at is not None and now - coin.hot_at < self.quiet
        coin.hot_at = now
        if continuing:
            return None
        first = min((m.first for m in window if m.first), key=lambda liq: liq.at)
        last = max((m.last for m in window if m.last), key=lambda liq: liq.at)
        span = (last.at.replace(second=0, microsecond=0) - first.at.replace(
            second=0, microsecond=0)) / MINUTE + 1
        return Burst(name, side, totals[side], totals["short" if side == "long" else "long"],
                     max(1, math.ceil(span)), first.at, last.at, first.price, last.price,
                     sum(m.count for m in window),
                     tuple(sorted({v for m in window for v in m.venues})))
