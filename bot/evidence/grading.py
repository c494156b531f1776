"""Grade a call on the price path after it: direction, range, levels touched and first.

Shared by the backtest and the live track record, so both score the same way. The path
is the bars that open at or after the call's time (floored to the bar) and before its
due time; the outcome price is the close of the bar that ends at the due time.
"""

from __future__ import annotations

import numpy as np

from bot.evidence.model import Call, LevelRole, Outcome
from bot.market.models import TIMEFRAMES, CandleSeries, MarketSnapshot, ms_from_utc


def path_after(series: CandleSeries, call: Call) -> CandleSeries | None:
    """The bars covering the call's horizon, or None when the series does not reach it."""
    if len(series) == 0:
        return None
    step = series.interval_ms
    start_ms = ms_from_utc(call.as_of) // step * step
    due_ms = ms_from_utc(call.due)
    start = int(np.searchsorted(series.open_time, start_ms, side="left"))
    stop = int(np.searchsorted(series.open_time, due_ms, side="left"))
    if stop <= start or int(series.open_time[stop - 1]) + step < due_ms:
        return None
    if series.forming and stop == len(series):
        return None
    return series.slice(start, stop)


def _first_touch(path: CandleSeries, call: Call) -> tuple[tuple[LevelRole, ...], LevelRole | None]:
    touched: list[LevelRole] = []
    first: tuple[int, LevelRole] | None = None
    for level in call.levels:
        below = level.price < call.price
        hits = path.low <= level.price if below else path.high >= level.price
        if not hits.any():
            continue
        touched.append(level.role)
        index = int(np.argmax(hits))
        if first is None or index < first[0]:
            first = (index, level.role)
    return tuple(touched), (first[1] if first else None)


def grade(call: Call, series: CandleSeries) -> Outcome | None:
    """The outcome of ``call`` on ``series`` (None while its horizon has not passed)."""
    path = path_after(series, call)
    if path is None:
        return None
    price = float(path.close[-1])
    change = (price / call.price - 1.0) * 100.0
    in_range = None
    if call.low_price is not None and call.high_price is not None:
        in_range = call.low_price <= price <= call.high_price
    touched, first = _first_touch(path, call)
    return Outcome(
        price=price,
        change_pct=change,
        up=price > call.price,
        max_up_pct=(float(path.high.max()) / call.price - 1.0) * 100.0,
        max_down_pct=(float(path.low.min()) / call.price - 1.0) * 100.0,
        in_range=in_range,
        touched=touched,
        first_level=first,
    )


def grade_finest(snapshot: MarketSnapshot, call: Call) -> Outcome | None:
    """The outcome of ``call`` on the finest timeframe of ``snapshot`` that covers its horizon."""
    for tf in TIMEFRAMES:
        outcome = grade(call, snapshot.series(tf))
        if outcome is not None:
            return outcome
    return None


def reaches_back(snapshot: MarketSnapshot, call: Call) -> bool:
    """Whether some timeframe of ``snapshot`` still holds the bar the call was made in."""
    for tf in TIMEFRAMES:
        series = snapshot.series(tf)
        if len(series) and int(series.open_time[0]) <= (
                ms_from_utc(call.as_of) // series.interval_ms * series.interval_ms):
            return True
    return False
