"""Price action: rolling changes, 24h extremes, the crash/rebound swing, levels breached."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import numpy as np

from bot.analysis.model import Level, LevelBreach, Levels, PriceAction, SwingMove
from bot.market.models import CandleSeries, MarketSnapshot, ms_from_utc

#: Hours covered by the crash/rebound swing search (the rolling 24h window).
SWING_WINDOW_HOURS = 24
_DAY = timedelta(hours=24)
_WEEK = timedelta(days=7)


def window(series: CandleSeries, as_of: datetime, span: timedelta) -> CandleSeries:
    """Bars that overlap the ``span`` before ``as_of`` (and opened before it)."""
    if len(series) == 0:
        return series
    start = ms_from_utc(as_of - span)
    end = ms_from_utc(as_of)
    mask = (series.open_time + series.interval_ms > start) & (series.open_time < end)
    idx = np.flatnonzero(mask)
    if len(idx) == 0:
        return CandleSeries.empty(series.timeframe)
    return series.slice(int(idx[0]), int(idx[-1]) + 1)


def change_pct(series: CandleSeries, as_of: datetime, span: timedelta, last: float) -> float | None:
    """Percent change of ``last`` against the open of the first bar of the window."""
    bars = window(series, as_of, span)
    if len(bars) == 0 or bars.open[0] <= 0:
        return None
    covered = as_of - bars.time_at(0)
    if covered < span * 0.9:
        return None
    return (last - float(bars.open[0])) / float(bars.open[0]) * 100.0


def largest_swing(bars: CandleSeries, last: float, hours: int) -> SwingMove | None:
    """Largest high-to-later-low drop in ``bars``, then the highest high after that low."""
    n = len(bars)
    if n < 2:
        return None
    best = (0.0, 0, 0)
    peak = 0
    for j in range(n):
        if bars.high[j] > bars.high[peak]:
            peak = j
        drop = (bars.high[peak] - bars.low[j]) / bars.high[peak] if bars.high[peak] > 0 else 0.0
        if drop > best[0]:
            best = (float(drop), peak, j)
    _, hi, lo = best
    if best[0] <= 0.0:
        return None
    high, low = float(bars.high[hi]), float(bars.low[lo])
    after = bars.high[lo + 1:]
    if len(after):
        k = lo + 1 + int(np.argmax(after))
        rebound, rebound_time = float(bars.high[k]), bars.time_at(k)
    else:
        rebound, rebound_time = max(last, low), bars.time_at(lo)
    return SwingMove(
        high=high, high_time=bars.time_at(hi), low=low, low_time=bars.time_at(lo),
        drop_pct=(low - high) / high * 100.0, drop_usd=low - high,
        rebound_high=rebound, rebound_high_time=rebound_time,
        rebound_pct=(rebound - low) / low * 100.0, rebound_usd=rebound - low,
        window_hours=hours,
    )


def _notable(level: Level) -> bool:
    """Round numbers, moving averages and higher-timeframe pivots are worth a breach."""
    return level.source != "pivot" or level.timeframe in ("4h", "1d")


def breaches(bars: CandleSeries, levels: Levels,
             as_of: datetime | None = None) -> tuple[LevelBreach, ...]:
    """Levels price crossed since the window's open, timed at the first bar closing beyond.

    A cross inside the still-forming bar is timed at ``as_of`` (its close lies ahead).
    """
    if len(bars) == 0:
        return ()
    ref = float(bars.open[0])
    out: list[LevelBreach] = []
    crossed: list[tuple[Level, Literal["below", "above"]]] = [
        *((lv, "below") for lv in (*levels.resistance, *levels.nearby)
          if lv.price < ref and _notable(lv)),
        *((lv, "above") for lv in (*levels.support, *levels.nearby)
          if lv.price > ref and _notable(lv)),
    ]
    for lv, way in crossed:
        closes = bars.close
        hit = closes < lv.price if way == "below" else closes > lv.price
        idx = np.flatnonzero(hit)
        if len(idx):
            closed_at = bars.time_at(int(idx[0])) + timedelta(milliseconds=bars.interval_ms)
            if as_of is not None:
                closed_at = min(closed_at, as_of)
            out.append(LevelBreach(price=lv.price, label=lv.label, direction=way, time=closed_at))
    return tuple(sorted(out, key=lambda b: b.time))


def price_action(snapshot: MarketSnapshot, levels: Levels) -> PriceAction | None:
    """Price action at ``snapshot.as_of`` from the finest timeframe available."""
    last = snapshot.last_price
    if last is None:
        return None
    series = next((snapshot.series(tf) for tf in ("1h", "4h", "1d") if len(snapshot.series(tf))),
                  CandleSeries.empty("1h"))
    day = window(series, snapshot.as_of, _DAY)
    ch24 = change_pct(series, snapshot.as_of, _DAY, last)
    week_series = next(
        (snapshot.series(tf) for tf in ("1h", "4h", "1d")
         if change_pct(snapshot.series(tf), snapshot.as_of, _WEEK, last) is not None),
        series,
    )
    low = high = None
    low_t = high_t = None
    if len(day):
        lo, hi = int(np.argmin(day.low)), int(np.argmax(day.high))
        low, low_t = float(day.low[lo]), day.time_at(lo)
        high, high_t = float(day.high[hi]), day.time_at(hi)
    return PriceAction(
        last=last,
        change_24h_pct=ch24,
        change_24h_usd=None if ch24 is None else last - float(day.open[0]),
        change_7d_pct=change_pct(week_series, snapshot.as_of, _WEEK, last),
        low_24h=low, low_24h_time=low_t, high_24h=high, high_24h_time=high_t,
        swing=largest_swing(window(series, snapshot.as_of, timedelta(hours=SWING_WINDOW_HOURS)),
                            last, SWING_WINDOW_HOURS),
        breaches=breaches(day, levels, snapshot.as_of),
    )
