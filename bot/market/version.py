"""A snapshot's content version: it changes when, and only when, the data in it changes.

A live snapshot is stamped with the clock (``as_of``), so anything keyed on ``as_of``
misses on every request although the cached parts are the same objects. The version is
``(newest, fingerprint)``: the newest bar or ticker time of its parts (milliseconds) and a
hash of what an analysis reads — the ticker, each series' last bar and length, every
venue's metrics, the whales, what is missing and which parts are served stale (not their
growing ages). Analyses, posts and charts are cached per version and reused by every chat
until the data changes. In-process only: ``hash`` is salted per process.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Hashable, Iterable

from bot.market.models import (
    CandleSeries,
    MarketSnapshot,
    Ticker,
    VenueDerivatives,
    WhaleBook,
    ms_from_utc,
)

#: (newest bar/ticker time in ms, hash of the content)
Version = tuple[int, int]
_DERIVATIVE_FIELDS = tuple(f.name for f in dataclasses.fields(VenueDerivatives)
                           if f.name not in ("timestamp", "stale_seconds"))


def content_version(snapshot: MarketSnapshot) -> Version:
    """The version of ``snapshot``'s data (equal for equal data, whatever its ``as_of``)."""
    series = [(tf, _series_print(s)) for tf, s in sorted(snapshot.candles.items())]
    times = [int(s.open_time[-1]) for s in snapshot.candles.values() if len(s)]
    if snapshot.ticker is not None:
        times.append(ms_from_utc(snapshot.ticker.timestamp))
    parts: tuple[Hashable, ...] = (
        snapshot.symbol, snapshot.source, tuple(series), _ticker_print(snapshot.ticker),
        tuple(_derivative_print(d) for d in snapshot.derivatives),
        _whale_print(snapshot.whales), snapshot.missing, snapshot.venues_requested,
        snapshot.spot_venue, snapshot.price_basis, snapshot.price_venues,
        tuple(sorted(snapshot.stale_seconds)),
        _series_print(snapshot.daily_history) if snapshot.daily_history is not None else None,
    )
    return max(times, default=0), hash(parts)


def _number(value: object) -> Hashable:
    """A float that hashes by value (NaN hashes by identity since Python 3.10)."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


def _numbers(values: Iterable[object]) -> tuple[Hashable, ...]:
    return tuple(_number(v) for v in values)


def _series_print(series: CandleSeries) -> Hashable:
    if not len(series):
        return (series.timeframe, 0)
    last = -1
    return (series.timeframe, len(series), int(series.open_time[0]), series.forming,
            int(series.open_time[last]), *_numbers(
                float(a[last]) for a in (series.open, series.high, series.low, series.close,
                                         series.volume)))


def _ticker_print(ticker: Ticker | None) -> Hashable:
    if ticker is None:
        return None
    return (ms_from_utc(ticker.timestamp), *_numbers(
        getattr(ticker, f.name) for f in dataclasses.fields(Ticker) if f.name != "timestamp"))


def _derivative_print(d: VenueDerivatives) -> Hashable:
    return (_numbers(getattr(d, name) for name in _DERIVATIVE_FIELDS),
            tuple(sorted(d.stale_seconds)))


def _whale_print(book: WhaleBook | None) -> Hashable:
    if book is None:
        return None
    previous = book.previous
    return (book.source, book.traders, book.ranked_positions, book.large_trades, book.deposits,
            None if previous is None else (previous.traders, previous.ranked_positions))
