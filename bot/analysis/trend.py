"""Trend reading per timeframe: DMI/ADX strength and direction, price vs MAs, RSI state."""

from __future__ import annotations

from collections.abc import Mapping

from bot.analysis.model import (
    Direction,
    IndicatorSet,
    LevelSource,
    MaPosition,
    RsiState,
    TrendReading,
    TrendStrength,
    level_code,
)

#: ADX band edges: below 20 weak, 20–25 emerging, 25–50 strong, above 50 very strong.
ADX_EMERGING = 20.0
ADX_STRONG = 25.0
ADX_VERY_STRONG = 50.0
#: RSI band edges (oversold < 30 ≤ weak < 45 ≤ neutral ≤ 55 < strong ≤ 70 < overbought).
RSI_OVERSOLD = 30.0
RSI_WEAK = 45.0
RSI_STRONG = 55.0
RSI_OVERBOUGHT = 70.0


def strength_band(adx: float | None) -> TrendStrength | None:
    """The ADX strength band."""
    if adx is None:
        return None
    if adx < ADX_EMERGING:
        return "weak"
    if adx < ADX_STRONG:
        return "emerging"
    if adx <= ADX_VERY_STRONG:
        return "strong"
    return "very strong"


def dmi_direction(plus_di: float | None, minus_di: float | None) -> Direction | None:
    """Bullish when +DI is above −DI, bearish when below, None when equal or unknown."""
    if plus_di is None or minus_di is None or plus_di == minus_di:
        return None
    return "bullish" if plus_di > minus_di else "bearish"


def rsi_state(rsi: float | None) -> RsiState | None:
    """The RSI band."""
    if rsi is None:
        return None
    if rsi < RSI_OVERSOLD:
        return "oversold"
    if rsi < RSI_WEAK:
        return "weak"
    if rsi <= RSI_STRONG:
        return "neutral"
    if rsi <= RSI_OVERBOUGHT:
        return "strong"
    return "overbought"


def ma_positions(ind: IndicatorSet) -> tuple[MaPosition, ...]:
    """Price against each available SMA and EMA of the timeframe."""
    if ind.close is None:
        return ()
    out = []
    sources: tuple[tuple[LevelSource, Mapping[int, float | None]], ...] = (
        ("sma", ind.sma), ("ema", ind.ema))
    for kind, values in sources:
        for period, value in values.items():
            if value is None or value <= 0:
                continue
            out.append(MaPosition(
                label=level_code(kind, ind.timeframe, period), value=value, above=ind.close > value,
                distance_pct=(ind.close - value) / value * 100.0,
            ))
    return tuple(out)


def read_trend(ind: IndicatorSet) -> TrendReading:
    """The trend reading of one timeframe's indicators."""
    return TrendReading(
        timeframe=ind.timeframe,
        adx=ind.adx,
        plus_di=ind.plus_di,
        minus_di=ind.minus_di,
        forming=ind.dmi_forming,
        strength=strength_band(ind.adx),
        direction=dmi_direction(ind.plus_di, ind.minus_di),
        ma_positions=ma_positions(ind),
        rsi=ind.rsi,
        rsi_state=rsi_state(ind.rsi),
    )
