"""Support and resistance: swing pivots clustered by ATR, moving averages, round numbers."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import talib

from bot.analysis.indicators import last_value
from bot.analysis.model import IndicatorSet, Level, LevelKind, Levels, LevelSource
from bot.market.models import CandleSeries, FloatArray

#: Bars on each side a swing high/low must dominate to count as a pivot.
PIVOT_SPAN = 3
#: How far back pivots are searched, per timeframe (bars).
PIVOT_LOOKBACK = {"1h": 72, "4h": 180, "1d": 365}
#: Pivot clusters need this many touches to count (single 1h wiggles are noise).
MIN_TOUCHES = {"1h": 2, "4h": 1, "1d": 1}
#: Pivots closer than this many ATRs of their timeframe merge into one level.
CLUSTER_ATR = 0.5
#: Levels farther than this from price (percent) are left out.
MAX_DISTANCE_PCT = 25.0
#: Bars over which a moving average counts touches (bar range containing the MA).
MA_TOUCH_BARS = 30
#: Moving averages offered as dynamic levels, per timeframe: (kind, period).
MA_LEVELS: Mapping[str, tuple[tuple[str, int], ...]] = {
    "4h": (("sma", 50), ("ema", 50), ("sma", 100), ("sma", 200)),
    "1d": (("sma", 20), ("ema", 20), ("sma", 50), ("ema", 50), ("sma", 100), ("sma", 200)),
}
#: Round numbers offered on each side of price.
ROUND_LEVELS_PER_SIDE = 2
#: Levels within this percent of each other are merged (the stronger one kept).
MERGE_PCT = 0.2
#: At most this many levels per side are listed.
MAX_PER_SIDE = 6
#: next_support must lie at least this many 4h ATRs below price.
NEXT_SUPPORT_MIN_ATR = 0.5
#: Strength order when merging: pivots (by touches) over MAs over round numbers.
_SOURCE_RANK: Mapping[str, int] = {"pivot": 3, "sma": 2, "ema": 2, "round": 1}
_TF_RANK: Mapping[str | None, int] = {"1d": 3, "4h": 2, "1h": 1, None: 0}


def pivots(series: CandleSeries, lookback: int, span: int = PIVOT_SPAN) -> list[tuple[float, str]]:
    """Confirmed swing highs ("high") and lows ("low") among the last ``lookback`` bars."""
    n = len(series)
    high, low = series.high, series.low
    found: list[tuple[float, str]] = []
    for i in range(max(span, n - lookback), n - span):
        window = slice(i - span, i + span + 1)
        if high[i] >= high[window].max():
            found.append((float(high[i]), "high"))
        if low[i] <= low[window].min():
            found.append((float(low[i]), "low"))
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


def round_step(price: float) -> float:
    """Psychological step: 5 × 10^(digits−2), e.g. 5,000 for 76,000 and 50 for 150."""
    return 5.0 * 10 ** (math.floor(math.log10(price)) - 1)


def _make(price: float, last: float, source: LevelSource, tf: str | None, touches: int,
          label: str) -> Level:
    kind: LevelKind = "support" if price < last else "resistance"
    return Level(price=price, kind=kind, source=source, timeframe=tf, touches=touches,
                 label=label, distance_pct=(price - last) / last * 100.0)


def _ma_touches(series: CandleSeries, ma: FloatArray) -> int:
    tail = slice(-MA_TOUCH_BARS, None)
    hit = (series.low[tail] <= ma[tail]) & (series.high[tail] >= ma[tail])
    return int(np.count_nonzero(hit & np.isfinite(ma[tail])))


def ma_levels(candles: Mapping[str, CandleSeries], last: float) -> list[Level]:
    """Major moving averages as dynamic levels, labelled like "4h SMA50"."""
    out: list[Level] = []
    for tf, specs in MA_LEVELS.items():
        series = candles.get(tf)
        if series is None or len(series) == 0:
            continue
        close = np.ascontiguousarray(series.close, dtype=np.float64)
        for kind, period in specs:
            fn = talib.SMA if kind == "sma" else talib.EMA
            ma = np.asarray(fn(close, timeperiod=period), dtype=np.float64)
            value = last_value(ma)
            if value is None or value == last:
                continue
            src: LevelSource = "sma" if kind == "sma" else "ema"
            out.append(_make(value, last, src, tf, _ma_touches(series, ma),
                             f"{tf} {kind.upper()}{period}"))
    return out


def pivot_levels(candles: Mapping[str, CandleSeries], atr: Mapping[str, float | None],
                 last: float) -> list[Level]:
    """Swing pivots of each timeframe clustered within CLUSTER_ATR × ATR."""
    out: list[Level] = []
    for tf, lookback in PIVOT_LOOKBACK.items():
        series = candles.get(tf)
        tf_atr = atr.get(tf)
        if series is None or tf_atr is None or tf_atr <= 0:
            continue
        for price, touches, kind in cluster(pivots(series, lookback), CLUSTER_ATR * tf_atr):
            if price != last and touches >= MIN_TOUCHES[tf]:
                label = f"{tf} swing" if kind == "mixed" else f"{tf} swing {kind}"
                out.append(_make(price, last, "pivot", tf, touches, label))
    return out


def round_levels(candles: Mapping[str, CandleSeries], last: float) -> list[Level]:
    """The ROUND_LEVELS_PER_SIDE round numbers below and above price, with 4h touches."""
    step = round_step(last)
    below = math.floor(last / step) * step
    series = candles.get("4h")
    out: list[Level] = []
    steps = range(1 - ROUND_LEVELS_PER_SIDE, ROUND_LEVELS_PER_SIDE + 1)
    for price in (below + k * step for k in steps):
        if price <= 0 or price == last:
            continue
        touches = 0
        if series is not None and len(series):
            tail = slice(-PIVOT_LOOKBACK["4h"], None)
            inside = (series.low[tail] <= price) & (series.high[tail] >= price)
            touches = int(np.count_nonzero(inside))
        out.append(_make(price, last, "round", None, touches, "round number"))
    return out


def _strength(level: Level) -> tuple[int, int, int]:
    return (_SOURCE_RANK[level.source], _TF_RANK.get(level.timeframe, 0), level.touches)


def _merge(levels: list[Level]) -> list[Level]:
    """Drop levels within MERGE_PCT of a stronger one (nearest-first input)."""
    kept: list[Level] = []
    for lv in sorted(levels, key=_strength, reverse=True):
        if all(abs(lv.price - k.price) / k.price * 100.0 > MERGE_PCT for k in kept):
            kept.append(lv)
    return sorted(kept, key=lambda lv: abs(lv.distance_pct))


def _reversal(resistance: list[Level]) -> Level | None:
    """Nearest major MA above price; else a 4h/1d pivot cluster touched twice or more."""
    mas = [lv for lv in resistance if lv.source in ("sma", "ema")]
    if mas:
        return mas[0]
    return next((lv for lv in resistance if lv.source == "pivot" and lv.timeframe in ("4h", "1d")
                 and lv.touches >= 2), None)


def find_levels(candles: Mapping[str, CandleSeries], indicators: Mapping[str, IndicatorSet],
                last: float | None) -> Levels:
    """Supports below and resistances above ``last``, nearest first, with next_support/reversal."""
    if last is None or not math.isfinite(last) or last <= 0:
        return Levels()
    atr = {tf: ind.atr for tf, ind in indicators.items()}
    candidates = [
        lv for lv in (*pivot_levels(candles, atr, last), *ma_levels(candles, last),
                      *round_levels(candles, last))
        if abs(lv.distance_pct) <= MAX_DISTANCE_PCT
    ]
    support = _merge([lv for lv in candidates if lv.kind == "support"])
    resistance = _merge([lv for lv in candidates if lv.kind == "resistance"])
    min_gap = NEXT_SUPPORT_MIN_ATR * (atr.get("4h") or 0.0)
    next_support = next((lv for lv in support if last - lv.price >= min_gap), None)
    reversal = _reversal(resistance)
    return Levels(
        support=_capped(support, next_support),
        resistance=_capped(resistance, reversal),
        next_support=next_support,
        reversal=reversal,
    )


def _capped(levels: list[Level], keep: Level | None) -> tuple[Level, ...]:
    """The nearest MAX_PER_SIDE levels, always including ``keep``."""
    head = levels[:MAX_PER_SIDE]
    if keep is not None and keep not in head:
        head = [*head[: MAX_PER_SIDE - 1], keep]
    return tuple(head)
