"""What happened after the levels were named: the study behind bench/levels_study.py.

Every day at 12:00 UTC the real analysis runs on replayed data (no look-ahead); the 1h
bars after that time say whether ``next_support`` was touched (a low at or below it)
within 24h and 7 days, whether a bearish call's ``reversal`` was reached (a high at or
above it) within 7 days, and whether a bullish call's ``breakdown`` was (a low at or below).
A horizon that runs past the end of the data is not scored.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from bot.analysis import analyse
from bot.config import Settings
from bot.market.replay import ReplaySource

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
#: The study's two halves: tuned on the first, reported on the second (held out).
FIRST_HALF = (datetime(2026, 1, 28, 12, tzinfo=UTC), datetime(2026, 4, 26, 12, tzinfo=UTC))
HELD_OUT = (datetime(2026, 4, 27, 12, tzinfo=UTC), datetime(2026, 7, 25, 12, tzinfo=UTC))
SYMBOLS = ("BTC", "ETH")


@dataclass(frozen=True, slots=True)
class Call:
    """One day's named levels and what the following 1h bars did to them."""

    symbol: str
    at: datetime
    price: float
    atr_4h: float
    atr_1d: float
    bearish: bool
    bullish: bool
    support: float | None
    resistance: float | None
    reversal: float | None
    support_touched_24h: bool | None
    support_touched_7d: bool | None
    reversal_reached_7d: bool | None
    breakdown_reached_7d: bool | None


@dataclass(frozen=True, slots=True)
class Summary:
    """The study's figures over a set of calls (rates are fractions, None without calls)."""

    calls: int
    support_pct: float | None
    support_atr_1d: float | None
    resistance_pct: float | None
    resistance_atr_1d: float | None
    reversal_atr_1d: float | None
    support_touched_24h: float | None
    support_touched_7d: float | None
    bearish_calls: int
    reversal_reached_7d: float | None
    bullish_calls: int
    breakdown_reached_7d: float | None


class Path1h:
    """The 1h highs and lows of one symbol, for looking ahead of a call."""

    def __init__(self, csv: Path) -> None:
        frame = pd.read_csv(csv, usecols=["open_time", "high", "low"])
        self.open_ms = frame["open_time"].to_numpy(dtype=np.int64)
        self.high = frame["high"].to_numpy(dtype=np.float64)
        self.low = frame["low"].to_numpy(dtype=np.float64)

    def window(self, start: datetime, span: timedelta) -> slice | None:
        """Bars opening in [start, start + span), or None when the data ends before."""
        lo_ms = int(start.timestamp() * 1000)
        hi_ms = int((start + span).timestamp() * 1000)
        if len(self.open_ms) == 0 or self.open_ms[-1] < hi_ms - 3_600_000:
            return None
        lo, hi = np.searchsorted(self.open_ms, [lo_ms, hi_ms], side="left")
        return slice(int(lo), int(hi))

    def touched_below(self, start: datetime, span: timedelta, price: float | None) -> bool | None:
        """Whether a low reached ``price`` within ``span`` after ``start``."""
        bars = self.window(start, span)
        if price is None or bars is None:
            return None
        return bool(np.any(self.low[bars] <= price))

    def reached_above(self, start: datetime, span: timedelta, price: float | None) -> bool | None:
        """Whether a high reached ``price`` within ``span`` after ``start``."""
        bars = self.window(start, span)
        if price is None or bars is None:
            return None
        return bool(np.any(self.high[bars] >= price))


def days(first: datetime, last: datetime) -> list[datetime]:
    """Every day from ``first`` to ``last`` inclusive, at the same time of day."""
    return [first + DAY * i for i in range((last - first) // DAY + 1)]


def calls(data: Path, settings: Settings, symbol: str, moments: Iterable[datetime],
          source: ReplaySource | None = None) -> list[Call]:
    """The analysis at each moment and the outcome of its levels."""
    source = source or ReplaySource(data, None, settings)
    (csv,) = (data / "ohlcv").glob(f"{symbol}USDT_1h_*.csv")
    ahead = Path1h(csv)
    out: list[Call] = []
    for at in moments:
        result = analyse(source.at_time(at).snapshot_now(symbol), settings)
        levels = result.levels
        atr_4h, atr_1d = result.indicators["4h"].atr, result.indicators["1d"].atr
        if result.price is None or atr_4h is None or atr_1d is None:
            continue
        support = levels.next_support.price if levels.next_support else None
        reversal = levels.reversal.price if levels.reversal else None
        bearish = result.outlook.direction == "bearish"
        bullish = result.outlook.direction == "bullish"
        breakdown = levels.breakdown.price if levels.breakdown else None
        out.append(Call(
            symbol=symbol, at=at, price=result.price.last, atr_4h=atr_4h, atr_1d=atr_1d,
            bearish=bearish, bullish=bullish, support=support,
            resistance=levels.resistance[0].price if levels.resistance else None,
            reversal=reversal,
            support_touched_24h=ahead.touched_below(at, DAY, support),
            support_touched_7d=ahead.touched_below(at, WEEK, support),
            reversal_reached_7d=ahead.reached_above(at, WEEK, reversal) if bearish else None,
            breakdown_reached_7d=ahead.touched_below(at, WEEK, breakdown) if bullish else None,
        ))
    return out


def _median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _rate(flags: Iterable[bool | None]) -> float | None:
    known = [f for f in flags if f is not None]
    return sum(known) / len(known) if known else None


def summarise(rows: Sequence[Call]) -> Summary:
    """Medians of distances and touch rates over ``rows``."""
    sup = [c for c in rows if c.support is not None]
    res = [c for c in rows if c.resistance is not None]
    rev = [c for c in rows if c.reversal is not None]
    return Summary(
        calls=len(rows),
        support_pct=_median([(c.price - c.support) / c.price * 100 for c in sup
                             if c.support is not None]),
        support_atr_1d=_median([(c.price - c.support) / c.atr_1d for c in sup
                                if c.support is not None]),
        resistance_pct=_median([(c.resistance - c.price) / c.price * 100 for c in res
                                if c.resistance is not None]),
        resistance_atr_1d=_median([(c.resistance - c.price) / c.atr_1d for c in res
                                   if c.resistance is not None]),
        reversal_atr_1d=_median([(c.reversal - c.price) / c.atr_1d for c in rev
                                 if c.reversal is not None]),
        support_touched_24h=_rate(c.support_touched_24h for c in rows),
        support_touched_7d=_rate(c.support_touched_7d for c in rows),
        bearish_calls=sum(c.bearish for c in rows),
        reversal_reached_7d=_rate(c.reversal_reached_7d for c in rows),
        bullish_calls=sum(c.bullish for c in rows),
        breakdown_reached_7d=_rate(c.breakdown_reached_7d for c in rows),
    )
