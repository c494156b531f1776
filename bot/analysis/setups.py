"""The daily setup of every closed bar: the 7-day move and the side of the 50-day average.

A *setup* is one of four trend states, judged at a daily close with nothing after it:

=====================  ==========================  =======================
setup                  prior 7-day return          close vs 50-day SMA
=====================  ==========================  =======================
``uptrend``            up                          above
``dip_in_uptrend``     down                        above
``bounce_in_downtrend`` up                         below
``downtrend``          down                        below
=====================  ==========================  =======================

Four states keep each one's sample large (hundreds of days since 2017) — finer splits
were tried on 2017–2023 and showed no more edge out of sample, only smaller samples.
"""

from __future__ import annotations

import numpy as np

from bot.analysis.model import SetupKind
from bot.market.models import CandleSeries, FloatArray, IntArray

SETUPS: tuple[SetupKind, ...] = ("uptrend", "dip_in_uptrend", "bounce_in_downtrend", "downtrend")
#: Days of the momentum look-back.
MOMENTUM_DAYS = 7
#: Period of the moving average that splits up- from downtrends.
MA_DAYS = 50
#: Code of a bar whose setup is unknown (warm-up).
UNKNOWN = -1


def closed_daily(series: CandleSeries, as_of_ms: int) -> CandleSeries:
    """Only the daily bars that had closed at ``as_of_ms`` (open + 1 day ≤ as_of)."""
    keep = int(np.searchsorted(series.open_time, as_of_ms - series.interval_ms, side="right"))
    return series if keep == len(series) and not series.forming else series.slice(0, keep)


def setup_codes(close: FloatArray) -> IntArray:
    """Index into :data:`SETUPS` of every bar (``UNKNOWN`` during warm-up)."""
    n = len(close)
    codes = np.full(n, UNKNOWN, dtype=np.int64)
    if n <= max(MA_DAYS, MOMENTUM_DAYS):
        return codes
    window = np.ones(MA_DAYS) / MA_DAYS
    sma = np.full(n, np.nan)
    sma[MA_DAYS - 1:] = np.convolve(close, window, mode="valid")
    momentum = np.full(n, np.nan)
    momentum[MOMENTUM_DAYS:] = close[MOMENTUM_DAYS:] - close[:-MOMENTUM_DAYS]
    known = ~(np.isnan(sma) | np.isnan(momentum))
    down = momentum <= 0
    below = close < sma
    codes[known] = (down.astype(np.int64) + 2 * below.astype(np.int64))[known]
    return codes


def forward_returns(close: FloatArray, days: int) -> FloatArray:
    """Percent change from each close to the close ``days`` bars later (NaN when unknown)."""
    out = np.full(len(close), np.nan)
    if len(close) > days:
        out[:-days] = (close[days:] / close[:-days] - 1.0) * 100.0
    return out
