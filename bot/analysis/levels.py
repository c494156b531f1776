"""Support and resistance that mean something at the horizon a post speaks of.

Candidates are swing clusters (4h and 1d swing pivots lying within CLUSTER_ATR daily ATRs
of each other), the major daily moving averages and round numbers. Each is scored on the
daily bars of the last TOUCH_LOOKBACK days: ``touches`` counts visits (runs of bars whose
range came within TOUCH_ATR daily ATRs of the level), ``held`` the visits that left the
level on the side they came from.

Listed levels lie strictly on their side of price and at least LIST_MIN_ATR 4h ATRs from
it, no two within DISTINCT_ATR daily ATRs (the stronger kept); nearer ones are where price
stands now and only serve to time breaches (``Levels.nearby``). ``next_support`` (the 24h
target) is the nearest support at least SUPPORT_MIN_ATR daily ATRs below price;
``reversal`` (what a recovery must reclaim within the week) the strongest resistance (most
holds, then touches) 1.5 to 3 daily ATRs above price: nearer ones, or the nearest one that
held, were reached within a week on a fifth to a third of bearish days. ``breakdown``, what a
bullish view must hold, mirrors it below price. Distances and construction were chosen by
bench/levels_study.py on Jan–Apr 2026, checked on Apr–Jul 2026.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from bot.analysis.indicators import last_value, moving_average
from bot.analysis.model import (
    IndicatorSet,
    Level,
    LevelKind,
    Levels,
    LevelSource,
    SwingSide,
    level_code,
)
from bot.market.models import CandleSeries, FloatArray

#: Bars on each side a swing high/low must dominate to count as a pivot.
PIVOT_SPAN = 3
#: How far back pivots are searched, per timeframe (bars): 30 days of 4h, a year of 1d.
PIVOT_LOOKBACK = {"4h": 180, "1d": 365}
#: Pivots closer than this many daily ATRs chain into one swing cluster.
CLUSTER_ATR = 0.35
#: Daily bars over which touches and holds are counted.
TOUCH_LOOKBACK = 180
#: A bar touches a level when its range comes within this many daily ATRs of it.
TOUCH_ATR = 0.15
#: Daily moving averages offered as dynamic levels: (kind, period).
MA_LEVELS: tuple[tuple[str, int], ...] = (
    ("sma", 20), ("ema", 20), ("sma", 50), ("ema", 50), ("sma", 100), ("sma", 200),
)
#: Listed levels lie at least this many 4h ATRs from price (nearer is where price is now).
LIST_MIN_ATR = 1.0
#: Listed levels lie at most this many daily ATRs from price.
LIST_MAX_ATR = 6.0
#: No two listed levels lie within this many daily ATRs of each other.
DISTINCT_ATR = 0.4
#: At most this many levels per side are listed.
MAX_PER_SIDE = 6
#: next_support lies at least this many daily ATRs below price (the 24h horizon).
SUPPORT_MIN_ATR = 0.5
#: reversal (breakdown) is the strongest resistance (support) this many daily ATRs from price.
INVALIDATION_BAND_ATR = (1.5, 3.0)
#: Preference when two candidates are too close: swing clusters, then MAs, then round numbers.
_SOURCE_RANK: Mapping[str, int] = {"pivot": 3, "sma": 2, "ema": 2, "round": 1}
_TF_RANK: Mapping[str | None, int] = {"1d": 2, "4h": 1, None: 0}


def pivots(series: CandleSeries, lookback: int, span: int = PIVOT_SPAN) -> list[tuple[float, str]]:
    """Confirmed swing highs ("high") and lows ("low") among the last ``lookback`` bars."""
    n = len(series)
    first = max(span, n - lookback)
    if n - span <= first:
        return []
    width = 2 * span + 1
    highs = sliding_window_view(series.high, width)[first - span:n - 2 * span]
    lows = sliding_window_view(series.low, width)[first - span:n - 2 * span]
    found: list[tuple[float, str]] = []
    for i, is_high, is_low in zip(range(first, n - span), highs[:, span] >= highs.max(axis=1),
                                  lows[:, span] <= lows.min(axis=1), strict=True):
        if is_high:
            found.append((float(series.high[i]), "high"))
        if is_low:
            found.append((float(series.low[i]), "low"))
    return found


def cluster(points: Iterable[tuple[float, str]], tolerance: float) -> list[tuple[float, int, str]]:
    """Group sorted pivots lying within ``tolerance`` of their group's lowest one.

    Each group gives (mean price, count, "high" | "low" | "mixed").
    """
    groups: list[list[tuple[float, str]]] = []
    for point in sorted(points):
        if groups and point[0] - groups[-1][0][0] <= tolerance:
            groups[-1].append(point)
        else:
            groups.append([point])
    out = []
    for g in groups:
        kinds = {k for _, k in g}
        out.append((float(np.mean([p for p, _ in g])), len(g),
                    kinds.pop() if len(kinds) == 1 else "mixed"))
    return out


def visits(series: CandleSeries, level: FloatArray | float, tolerance: float) -> tuple[int, int]:
    """(touches, held) of a level over ``series``.

    A visit is a run of consecutive bars whose range comes within ``tolerance`` of the level
    (``level`` may be one price or one per bar, e.g. a moving average). It held when the
    close before the run (the first bar's open at the start of the series) and the close of
    the run's last bar lie on the same side of the level.
    """
    n = len(series)
    if n == 0:
        return 0, 0
    lv = np.broadcast_to(np.asarray(level, dtype=np.float64), (n,))
    at = (series.low - tolerance <= lv) & (series.high + tolerance >= lv)
    edges = np.diff(np.concatenate(([0], at.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    before = np.where(starts > 0, series.close[np.maximum(starts - 1, 0)], series.open[starts])
    side_before = np.sign(before - lv[starts])
    side_after = np.sign(series.close[ends] - lv[ends])
    held = np.count_nonzero((side_before == side_after) & (side_before != 0))
    return len(starts), int(held)


def round_step(price: float) -> float:
    """Psychological step: 5 × 10^(digits−2), e.g. 5,000 for 76,000 and 50 for 150."""
    return 5.0 * 10 ** (math.floor(math.log10(price)) - 1)


class _Scorer:
    """Builds Levels at one price, scored on the recent daily bars."""

    def __init__(self, daily: CandleSeries, last: float, atr_1d: float) -> None:
        tail = max(0, len(daily) - TOUCH_LOOKBACK)
        self.daily = daily.slice(tail, len(daily))
        self.tail = tail
        self.last = last
        self.atr_1d = atr_1d

    def in_reach(self, price: float) -> bool:
        """Whether ``price`` lies within LIST_MAX_ATR daily ATRs of the last price."""
        return abs(price - self.last) <= LIST_MAX_ATR * self.atr_1d

    def make(self, price: float, source: LevelSource, tf: str | None,
             path: FloatArray | None = None, swing: SwingSide | None = None,
             period: int | None = None) -> Level:
        touches, held = visits(self.daily, price if path is None else path[self.tail:],
                               TOUCH_ATR * self.atr_1d)
        kind: LevelKind = "support" if price < self.last else "resistance"
        return Level(price=price, kind=kind, source=source, timeframe=tf, touches=touches,
                     label=level_code(source, tf, swing if source == "pivot" else period),
                     distance_pct=(price - self.last) / self.last * 100.0,
                     held=held, distance_atr=(price - self.last) / self.atr_1d,
                     swing=swing, period=period)


def swing_levels(candles: Mapping[str, CandleSeries], scorer: _Scorer) -> list[Level]:
    """4h and 1d swing pivots clustered within CLUSTER_ATR daily ATRs."""
    points: list[tuple[float, str]] = []
    daily_points: set[float] = set()
    for tf, lookback in PIVOT_LOOKBACK.items():
        series = candles.get(tf)
        if series is not None and len(series):
            found = pivots(series, lookback)
            points += found
            if tf == "1d":
                daily_points.update(p for p, _ in found)
    out: list[Level] = []
    for price, _, kind in cluster(points, CLUSTER_ATR * scorer.atr_1d):
        if not scorer.in_reach(price):
            continue
        members = [p for p, _ in points if abs(p - price) <= CLUSTER_ATR * scorer.atr_1d]
        tf = "1d" if daily_points.intersection(members) else "4h"
        side: SwingSide = "high" if kind == "high" else "low" if kind == "low" else "mixed"
        out.append(scorer.make(price, "pivot", tf, swing=side))
    return out


def ma_levels(daily: CandleSeries, scorer: _Scorer) -> list[Level]:
    """Major daily moving averages as dynamic levels (code ``sma.1d.50``)."""
    out: list[Level] = []
    for kind, period in MA_LEVELS:
        ma = moving_average(daily.close, "sma" if kind == "sma" else "ema", period)
        value = last_value(ma)
        if value is None or not scorer.in_reach(value):
            continue
        src: LevelSource = "sma" if kind == "sma" else "ema"
        out.append(scorer.make(value, src, "1d", ma, period=period))
    return out


def round_levels(scorer: _Scorer) -> list[Level]:
    """Round numbers within LIST_MAX_ATR daily ATRs of price."""
    step = round_step(scorer.last)
    reach = LIST_MAX_ATR * scorer.atr_1d
    first = math.ceil((scorer.last - reach) / step)
    last = math.floor((scorer.last + reach) / step)
    return [scorer.make(k * step, "round", None)
            for k in range(max(first, 1), last + 1)]


def _strength(level: Level) -> tuple[int, int, int, int]:
    return (level.held, level.touches, _SOURCE_RANK[level.source],
            _TF_RANK.get(level.timeframe, 0))


def distinct(levels: Iterable[Level], gap: float) -> list[Level]:
    """Drop each level lying within ``gap`` (price) of a stronger one; nearest first."""
    kept: list[Level] = []
    for lv in sorted(levels, key=_strength, reverse=True):
        if all(abs(lv.price - k.price) > gap for k in kept):
            kept.append(lv)
    return sorted(kept, key=lambda lv: abs(lv.distance_pct))


def invalidation_level(levels: list[Level]) -> Level | None:
    """The strongest of ``levels`` (one side, nearest first) in INVALIDATION_BAND_ATR, else
    the nearest beyond the band's floor: ``reversal`` above price, ``breakdown`` below."""
    low, high = INVALIDATION_BAND_ATR
    band = [lv for lv in levels if low <= abs(lv.distance_atr) <= high]
    if band:
        return max(band, key=_strength)
    return next((lv for lv in levels if abs(lv.distance_atr) >= low), None)


def find_levels(candles: Mapping[str, CandleSeries], indicators: Mapping[str, IndicatorSet],
                last: float | None) -> Levels:
    """Supports below and resistances above ``last``, nearest first, with next_support/reversal."""
    daily = candles.get("1d")
    atr_1d = indicators["1d"].atr if "1d" in indicators else None
    atr_4h = indicators["4h"].atr if "4h" in indicators else None
    if (last is None or not math.isfinite(last) or last <= 0 or daily is None
            or not len(daily) or atr_1d is None or not atr_1d > 0):
        return Levels()
    scorer = _Scorer(daily, last, atr_1d)
    near = LIST_MIN_ATR * (atr_4h if atr_4h is not None and atr_4h > 0 else atr_1d / 2)
    gap = DISTINCT_ATR * atr_1d
    reached = [lv for lv in (*swing_levels(candles, scorer), *ma_levels(daily, scorer),
                             *round_levels(scorer)) if abs(lv.distance_atr) <= LIST_MAX_ATR]
    listed = distinct((lv for lv in reached if abs(lv.price - last) >= near), gap)
    support = [lv for lv in listed if lv.price < last]
    resistance = [lv for lv in listed if lv.price > last]
    next_support = next((lv for lv in support if -lv.distance_atr >= SUPPORT_MIN_ATR), None)
    reversal, breakdown = invalidation_level(resistance), invalidation_level(support)
    return Levels(
        support=_capped(support, next_support, breakdown),
        resistance=_capped(resistance, reversal),
        next_support=next_support,
        reversal=reversal,
        breakdown=breakdown,
        nearby=tuple(distinct((lv for lv in reached if abs(lv.price - last) < near), gap)),
    )


def _capped(levels: list[Level], *keep: Level | None) -> tuple[Level, ...]:
    """The nearest MAX_PER_SIDE levels, always including those in ``keep`` (nearest first)."""
    kept = [lv for lv in keep if lv is not None]
    others = [lv for lv in levels if lv not in kept][: MAX_PER_SIDE - len(kept)]
    return tuple(lv for lv in levels if lv in kept or lv in others)
