"""Technical indicators through TA-Lib (the project's only caller), read at the last bar.

Whole series (``moving_average``, ``dmi_series``) are for levels and charts.

Price-like readings (moving averages, RSI, MACD, ATR) include the forming candle: they
describe the market now. DMI/ADX are read at the last *closed* candle when one is
forming, so "+DI above −DI" never hinges on a half-built bar (``dmi_forming`` says
when the forming candle had to be used because no closed bar was warm enough).
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Literal

import numpy as np

from bot.analysis.model import IndicatorSet, MacdValue
from bot.analysis.talib_lean import talib
from bot.config import IndicatorSettings
from bot.market.models import TIMEFRAME_MS, CandleSeries, FloatArray

#: Bars of log returns behind the realised volatility.
REALIZED_VOL_BARS = 30
_YEAR_MS = 365 * 86_400_000


def last_value(values: FloatArray) -> float | None:
    """The last element as a float, or None when absent or not finite."""
    if len(values) == 0:
        return None
    v = float(values[-1])
    return v if math.isfinite(v) else None


def _clean(a: FloatArray) -> FloatArray:
    return np.ascontiguousarray(a, dtype=np.float64)


def realized_vol_pct(
    close: FloatArray, timeframe: str, bars: int = REALIZED_VOL_BARS
) -> float | None:
    """Annualised standard deviation of the last ``bars`` log returns, in percent."""
    if len(close) < bars + 1 or np.any(close[-bars - 1 :] <= 0):
        return None
    returns = np.diff(np.log(close[-bars - 1 :]))
    if not np.all(np.isfinite(returns)):
        return None
    per_year = _YEAR_MS / TIMEFRAME_MS.get(timeframe, TIMEFRAME_MS["1d"])
    return float(np.std(returns, ddof=1) * math.sqrt(per_year) * 100.0)


def moving_average(close: FloatArray, kind: Literal["sma", "ema"], period: int) -> FloatArray:
    """The simple or exponential moving average of ``close`` (NaN during warm-up)."""
    fn = talib.SMA if kind == "sma" else talib.EMA
    return np.asarray(fn(_clean(close), timeperiod=period), dtype=np.float64)


def dmi_series(high: FloatArray, low: FloatArray, close: FloatArray,
               period: int) -> dict[str, FloatArray]:
    """+DI, −DI and ADX series (keys ``plus_di``, ``minus_di``, ``adx``) of ``period``."""
    h, lo, c = _clean(high), _clean(low), _clean(close)
    return {
        "plus_di": np.asarray(talib.PLUS_DI(h, lo, c, timeperiod=period), dtype=np.float64),
        "minus_di": np.asarray(talib.MINUS_DI(h, lo, c, timeperiod=period), dtype=np.float64),
        "adx": np.asarray(talib.ADX(h, lo, c, timeperiod=period), dtype=np.float64),
    }


def _dmi_bars(series: CandleSeries, high: FloatArray, low: FloatArray, close: FloatArray,
              period: int) -> tuple[FloatArray, FloatArray, FloatArray, bool]:
    """The bars DMI/ADX are read on: closed ones when the last bar is still forming.

    ADX needs about twice its period of bars; with fewer closed bars the forming one is
    kept (and flagged) rather than losing the reading.
    """
    if series.forming and len(close) - 1 >= 2 * period:
        return high[:-1], low[:-1], close[:-1], False
    return high, low, close, series.forming


def compute_indicators(series: CandleSeries, periods: IndicatorSettings) -> IndicatorSet:
    """All configured indicators for one timeframe; warm-up not met → None."""
    high, low, close = _clean(series.high), _clean(series.low), _clean(series.close)
    if len(close) == 0:
        return IndicatorSet(
            timeframe=series.timeframe, bars=0, close=None,
            sma=MappingProxyType(dict.fromkeys(periods.sma)),
            ema=MappingProxyType(dict.fromkeys(periods.ema)),
        )
    sma = {p: last_value(moving_average(close, "sma", p)) for p in periods.sma}
    ema = {p: last_value(moving_average(close, "ema", p)) for p in periods.ema}
    dmi_high, dmi_low, dmi_close, dmi_forming = _dmi_bars(series, high, low, close, periods.dmi)
    dmi = dmi_series(dmi_high, dmi_low, dmi_close, periods.dmi)
    fast, slow, signal = periods.macd
    macd, macd_signal, macd_hist = talib.MACD(
        close, fastperiod=fast, slowperiod=slow, signalperiod=signal
    )
    return IndicatorSet(
        timeframe=series.timeframe,
        bars=len(close),
        close=last_value(close),
        forming=series.forming,
        sma=MappingProxyType(sma),
        ema=MappingProxyType(ema),
        rsi=last_value(talib.RSI(close, timeperiod=periods.rsi)),
        macd=MacdValue(last_value(macd), last_value(macd_signal), last_value(macd_hist)),
        plus_di=last_value(dmi["plus_di"]),
        minus_di=last_value(dmi["minus_di"]),
        adx=last_value(dmi["adx"]),
        dmi_forming=dmi_forming,
        atr=last_value(talib.ATR(high, low, close, timeperiod=periods.atr)),
        realized_vol_pct=realized_vol_pct(close, series.timeframe),
    )
