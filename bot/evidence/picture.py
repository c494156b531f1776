"""The numbers behind the track record's picture: calibration bins and hit rates over time.

``record_figures`` turns graded rows of one horizon into what the picture draws: the
stated probabilities in equal-count bins (deciles, fewer when the calls are few) against
the share that went up, and the cumulative hit rate of the stated odds beside the
momentum and always-up baselines on the same calls. Fewer than
:data:`MIN_CALLS_FOR_PICTURE` graded calls give no figures at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from bot.analysis.odds import horizon_name
from bot.evidence.model import Row
from bot.evidence.scoring import Rate

#: Graded calls (with stated odds) of a horizon before a picture is drawn.
MIN_CALLS_FOR_PICTURE = 10
#: Most bins of the calibration panel (deciles).
MAX_BINS = 10
#: Fewest calls a bin holds (fewer bins when the calls are few).
MIN_PER_BIN = 5


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Calls whose stated probability lay in [low, high]: mean stated vs observed share up."""

    low: float
    high: float
    calls: int
    stated: float
    observed: float
    interval: tuple[float, float]


@dataclass(frozen=True, slots=True)
class HitRatePoint:
    """Cumulative hit rates up to and including the call made at ``as_of``."""

    as_of: datetime
    stated: float | None
    momentum: float | None
    always_up: float | None


@dataclass(frozen=True, slots=True)
class RecordFigures:
    """What the track record's picture shows for one symbol (None: all) and horizon."""

    symbol: str | None
    horizon: str
    start: datetime
    end: datetime
    calls: int
    bins: tuple[CalibrationBin, ...]
    timeline: tuple[HitRatePoint, ...]


def _stated(rows: Sequence[Row], horizon: timedelta) -> list[Row]:
    """Graded rows of ``horizon`` with stated odds, oldest first."""
    return sorted((r for r in rows if r.call.horizon == horizon and r.outcome is not None
                   and r.call.probability is not None), key=lambda r: r.call.as_of)


def graded_calls(rows: Sequence[Row], horizon: timedelta) -> int:
    """How many graded calls of ``horizon`` stated odds."""
    return len(_stated(rows, horizon))


def busiest_horizon(rows: Sequence[Row]) -> timedelta | None:
    """The horizon with the most graded calls stating odds (the shorter on a tie)."""
    counts = Counter(r.call.horizon for r in rows
                     if r.outcome is not None and r.call.probability is not None)
    if not counts:
        return None
    return min(counts, key=lambda h: (-counts[h], h))


def bin_count(calls: int) -> int:
    """Deciles, or fewer bins so that each holds at least :data:`MIN_PER_BIN` calls."""
    return max(1, min(MAX_BINS, calls // MIN_PER_BIN))


def _cuts(ordered: Sequence[tuple[float, bool]]) -> list[int]:
    """Bin edges of equal-count bins, moved on so equal probabilities share a bin (an edge
    that would leave fewer than :data:`MIN_PER_BIN` calls either side is dropped)."""
    n, k = len(ordered), bin_count(len(ordered))
    cuts = [0]
    for i in range(1, k):
        cut = max(i * n // k, cuts[-1])
        while 0 < cut < n and ordered[cut - 1][0] == ordered[cut][0]:
            cut += 1
        if cut - cuts[-1] >= MIN_PER_BIN and n - cut >= MIN_PER_BIN:
            cuts.append(cut)
    return [*cuts, n]


def calibration(pairs: Sequence[tuple[float, bool]]) -> tuple[CalibrationBin, ...]:
    """``(stated probability, went up)`` pairs in equal-count bins of the sorted odds (one
    probability is never split across bins, so a bin may hold more)."""
    ordered = sorted(pairs, key=lambda pair: pair[0])
    cuts = _cuts(ordered)
    out = []
    for start, stop in pairwise(cuts):
        chunk = ordered[start:stop]
        ups = sum(1 for _, up in chunk if up)
        interval = Rate(ups, len(chunk)).interval
        assert interval is not None
        out.append(CalibrationBin(
            low=chunk[0][0], high=chunk[-1][0], calls=len(chunk),
            stated=sum(p for p, _ in chunk) / len(chunk), observed=ups / len(chunk),
            interval=interval,
        ))
    return tuple(out)


def _running(flags: list[bool | None]) -> list[float | None]:
    hits = total = 0
    out: list[float | None] = []
    for flag in flags:
        if flag is not None:
            total += 1
            hits += flag
        out.append(hits / total if total else None)
    return out


def timeline(rows: Sequence[Row]) -> tuple[HitRatePoint, ...]:
    """Cumulative hit rates, call by call: stated odds (50% counts for neither side),
    momentum and always up, on the same calls."""
    ups = [r.outcome is not None and r.outcome.up for r in rows]
    stated = _running([None if r.call.probability in (None, 0.5)
                       else ((r.call.probability or 0.0) > 0.5) == up
                       for r, up in zip(rows, ups, strict=True)])
    momentum = _running([None if r.call.momentum is None else (r.call.momentum == "up") == up
                         for r, up in zip(rows, ups, strict=True)])
    always_up = _running(list(ups))
    return tuple(HitRatePoint(r.call.as_of, s, m, a)
                 for r, s, m, a in zip(rows, stated, momentum, always_up, strict=True))


def record_figures(rows: Sequence[Row], symbol: str | None,
                   horizon: timedelta | None = None) -> RecordFigures | None:
    """The picture's numbers for ``horizon`` (default: the busiest one); None when fewer
    than :data:`MIN_CALLS_FOR_PICTURE` graded calls stated odds."""
    horizon = horizon if horizon is not None else busiest_horizon(rows)
    if horizon is None:
        return None
    stated = _stated(rows, horizon)
    if len(stated) < MIN_CALLS_FOR_PICTURE:
        return None
    pairs = [(r.call.probability or 0.0, r.outcome is not None and r.outcome.up)
             for r in stated]
    return RecordFigures(
        symbol=symbol, horizon=horizon_name(horizon), start=stated[0].call.as_of,
        end=stated[-1].call.as_of, calls=len(stated), bins=calibration(pairs),
        timeline=timeline(stated),
    )
