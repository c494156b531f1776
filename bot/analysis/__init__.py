"""The analysis engine: pure functions of a MarketSnapshot, no I/O and no wording.

``analyse(snapshot, settings) -> Analysis`` is the entry point; ``analysis_to_json``
(in ``bot.analysis.serialize``) gives the JSON interface of ``digest --format json``.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import numpy as np

from bot.analysis.bias import compute_bias
from bot.analysis.derivatives import analyse_derivatives
from bot.analysis.events import detect_events
from bot.analysis.indicators import compute_indicators
from bot.analysis.levels import find_levels
from bot.analysis.model import Analysis, IndicatorSet, TrendReading
from bot.analysis.odds import compute_odds
from bot.analysis.outlook import compute_outlook
from bot.analysis.price_action import price_action
from bot.analysis.trend import read_trend
from bot.analysis.whales import analyse_whales
from bot.config import Settings
from bot.market.coverage import coverage_of
from bot.market.models import TIMEFRAMES, MarketSnapshot, ms_from_utc

__all__ = ["Analysis", "analyse", "visible"]


def visible(snapshot: MarketSnapshot) -> MarketSnapshot:
    """The snapshot without bars opening at or after ``as_of`` (no look-ahead)."""
    cutoff = ms_from_utc(snapshot.as_of)
    trimmed = {}
    for tf, series in snapshot.candles.items():
        keep = int(np.searchsorted(series.open_time, cutoff, side="left"))
        trimmed[tf] = series if keep == len(series) else series.slice(0, keep)
    return replace(snapshot, candles=MappingProxyType(trimmed))


def analyse(snapshot: MarketSnapshot, settings: Settings) -> Analysis:
    """Everything the commentary may say about the snapshot."""
    snapshot = visible(snapshot)
    indicators: dict[str, IndicatorSet] = {
        tf: compute_indicators(snapshot.series(tf), settings.indicators) for tf in TIMEFRAMES
    }
    trend: dict[str, TrendReading] = {tf: read_trend(ind) for tf, ind in indicators.items()}
    levels = find_levels(snapshot.candles, indicators, snapshot.last_price)
    price = price_action(snapshot, levels)
    derivatives = analyse_derivatives(snapshot)
    whales = analyse_whales(snapshot.whales, snapshot.symbol)
    bias = compute_bias(indicators, price, derivatives, whales)
    return Analysis(
        symbol=snapshot.symbol,
        as_of=snapshot.as_of,
        source=snapshot.source,
        price=price,
        indicators=MappingProxyType(indicators),
        trend=MappingProxyType(trend),
        levels=levels,
        derivatives=derivatives,
        whales=whales,
        bias=bias,
        outlook=compute_outlook(bias, trend, levels, snapshot.last_price),
        events=detect_events(snapshot, price, derivatives, indicators),
        odds=compute_odds(snapshot.daily_history or snapshot.series("1d"), snapshot.as_of),
        coverage=coverage_of(snapshot),
    )
