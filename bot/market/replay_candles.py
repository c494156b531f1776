"""Candles and ticker at ``as_of`` from merged kline tables, with no look-ahead.

A bar is closed when ``open_time + interval <= as_of``. The still-forming bar of
a higher timeframe is the aggregate of the closed bars of the lowest timeframe
that covers its start; the lowest timeframe has no forming bar.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from bot.market.models import (
    TIMEFRAME_MS,
    TIMEFRAMES,
    CandleSeries,
    Ticker,
    utc_from_ms,
)
from bot.market.replay_files import KlineTable

DAY_MS = TIMEFRAME_MS["1d"]


def closed_count(table: KlineTable, as_of_ms: int) -> int:
    """How many bars of ``table`` have closed at ``as_of_ms``."""
    interval = TIMEFRAME_MS[table.timeframe]
    return int(np.searchsorted(table.open_time, as_of_ms - interval, side="right"))


def forming_bar(
    timeframe: str, tables: Mapping[str, KlineTable], as_of_ms: int
) -> tuple[int, float, float, float, float, float] | None:
    """(open_time, open, high, low, close, volume) of the forming bar, or None.

    Built from the closed bars of the lowest lower timeframe whose data reaches
    back to the bar's start; None when the bar has just closed or no lower
    timeframe covers it.
    """
    interval = TIMEFRAME_MS[timeframe]
    start = as_of_ms - as_of_ms % interval
    if start == as_of_ms:
        return None
    lower = [tf for tf in TIMEFRAMES if TIMEFRAME_MS[tf] < interval and tf in tables]
    for tf in lower:
        table = tables[tf]
        if not len(table) or table.open_time[0] > start:
            continue
        first = int(np.searchsorted(table.open_time, start, side="left"))
        stop = closed_count(table, as_of_ms)
        if stop <= first:
            return None
        return (
            start,
            float(table.open[first]),
            float(table.high[first:stop].max()),
            float(table.low[first:stop].min()),
            float(table.close[stop - 1]),
            float(table.volume[first:stop].sum()),
        )
    return None


def candle_series(
    timeframe: str, tables: Mapping[str, KlineTable], as_of_ms: int, bars: int
) -> CandleSeries:
    """The last ``bars`` bars of ``timeframe`` at ``as_of_ms``, forming bar included."""
    table = tables[timeframe]
    stop = closed_count(table, as_of_ms)
    forming = forming_bar(timeframe, tables, as_of_ms)
    keep = bars - (1 if forming else 0)
    start = max(0, stop - keep)
    columns = [
        table.open_time[start:stop],
        table.open[start:stop],
        table.high[start:stop],
        table.low[start:stop],
        table.close[start:stop],
        table.volume[start:stop],
    ]
    if forming is not None:
        columns = [np.append(col, value) for col, value in zip(columns, forming, strict=True)]
    ot, op, hi, lo, cl, vo = columns
    return CandleSeries.from_arrays(timeframe, ot, op, hi, lo, cl, vo, forming=forming is not None)


def closed_history(tables: Mapping[str, KlineTable], as_of_ms: int) -> CandleSeries | None:
    """Every daily bar closed at ``as_of_ms`` (the outlook's long history), if any."""
    table = tables.get("1d")
    if table is None:
        return None
    stop = closed_count(table, as_of_ms)
    return CandleSeries.from_arrays(
        "1d", table.open_time[:stop], table.open[:stop], table.high[:stop],
        table.low[:stop], table.close[:stop], table.volume[:stop],
    )


def lowest_timeframe(tables: Mapping[str, KlineTable]) -> str:
    """The finest timeframe with data (the ticker and the data range come from it)."""
    return next(tf for tf in TIMEFRAMES if tf in tables and len(tables[tf]))


def ticker_timeframe(tables: Mapping[str, KlineTable], as_of_ms: int) -> str:
    """The finest timeframe with a closed bar at ``as_of_ms`` (the lowest one if none)."""
    for tf in TIMEFRAMES:
        if tf in tables and len(tables[tf]) and closed_count(tables[tf], as_of_ms) > 0:
            return tf
    return lowest_timeframe(tables)


def ticker_at(symbol: str, tables: Mapping[str, KlineTable], as_of_ms: int) -> Ticker | None:
    """Last price and rolling 24h figures from the finest timeframe's closed bars.

    The 24h window holds the bars that closed in ``(as_of - 24h, as_of]``; the
    quote volume is None when any bar in it lacks one.
    """
    table = tables[ticker_timeframe(tables, as_of_ms)]
    interval = TIMEFRAME_MS[table.timeframe]
    stop = closed_count(table, as_of_ms)
    if stop == 0:
        return None
    first = int(np.searchsorted(table.open_time, as_of_ms - DAY_MS, side="left"))
    last = float(table.close[stop - 1])
    stamp = utc_from_ms(int(table.open_time[stop - 1]) + interval)
    if first >= stop:
        return Ticker(symbol=symbol, last=last, timestamp=stamp)
    quote = table.quote_volume[first:stop]
    return Ticker(
        symbol=symbol,
        last=last,
        timestamp=stamp,
        high_24h=float(table.high[first:stop].max()),
        low_24h=float(table.low[first:stop].min()),
        open_24h=float(table.open[first]),
        volume_24h_quote=None if np.isnan(quote).any() else float(quote.sum()),
    )


def covered_range_ms(tables: Mapping[str, KlineTable]) -> tuple[int, int]:
    """The valid ``as_of`` range: the earliest close of any timeframe to the last
    close of the lowest one (higher timeframes may end on a bar the lowest never closes).
    """
    first = min(
        int(t.open_time[0]) + TIMEFRAME_MS[tf] for tf, t in tables.items() if len(t)
    )
    table = tables[lowest_timeframe(tables)]
    return first, int(table.open_time[-1]) + TIMEFRAME_MS[table.timeframe]


def _rebuilt(row: int, table: KlineTable, lower: list[KlineTable]) -> list[float] | None:
    """Row ``row`` of ``table`` rebuilt from the first lower table covering all of it."""
    start = int(table.open_time[row])
    interval = TIMEFRAME_MS[table.timeframe]
    for sub in lower:
        first = int(np.searchsorted(sub.open_time, start, side="left"))
        stop = int(np.searchsorted(sub.open_time, start + interval, side="left"))
        if stop - first == interval // TIMEFRAME_MS[sub.timeframe]:
            return [
                float(sub.open[first]),
                float(sub.high[first:stop].max()),
                float(sub.low[first:stop].min()),
                float(sub.close[stop - 1]),
                float(sub.volume[first:stop].sum()),
                float(sub.quote_volume[first:stop].sum()),
            ]
    return None


def settle_unsure(tables: Mapping[str, KlineTable]) -> dict[str, KlineTable]:
    """Resolve rows that may be partial candles (a file's last row without close time).

    Such a row is replaced by the aggregate of a lower timeframe's bars when they
    cover the whole bar, and dropped otherwise (so the lowest timeframe drops it).
    """
    settled: dict[str, KlineTable] = {}
    for tf in TIMEFRAMES:
        if tf not in tables:
            continue
        table = tables[tf]
        if table.unsure is None or not table.unsure.any():
            settled[tf] = table
            continue
        lower = [settled[t] for t in TIMEFRAMES if t in settled]
        columns = np.column_stack(
            [table.open, table.high, table.low, table.close, table.volume, table.quote_volume]
        )
        keep = np.ones(len(table), dtype=bool)
        for row in np.flatnonzero(table.unsure):
            values = _rebuilt(int(row), table, lower)
            if values is None:
                keep[row] = False
            else:
                columns[row] = values
        op, hi, lo, cl, vo, qv = (np.ascontiguousarray(c) for c in columns[keep].T)
        settled[tf] = KlineTable(tf, table.open_time[keep], op, hi, lo, cl, vo, qv)
    return settled
