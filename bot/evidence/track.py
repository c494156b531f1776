"""The live track record: the calls published posts made, graded as their horizons pass.

``published_rows`` turns a post's analysis into the rows stored for it (the same
:func:`calls_of` and :func:`row_of` the backtest uses); ``verdict`` grades a stored call
on a later snapshot with the backtest's own :func:`grade_finest`; ``summarise_record``
scores the graded rows with the backtest's ``summarise``, baselines included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum

from bot.analysis.model import Analysis
from bot.analysis.odds import HORIZONS, horizon_name
from bot.evidence.backtest import HorizonSummary, row_of, summarise
from bot.evidence.calls import calls_of
from bot.evidence.grading import grade_finest, reaches_back
from bot.evidence.model import Call, Outcome, Row
from bot.market.models import MarketSnapshot

#: Graded calls of a horizon before its Brier score and skill are shown.
MIN_CALLS_FOR_BRIER = 10
#: Calls listed under "last calls".
RECENT_CALLS = 5


def published_rows(analysis: Analysis) -> tuple[Row, ...]:
    """The calls a post on ``analysis`` makes, with the post's state, not yet graded."""
    return tuple(row_of(analysis, call, None, analysis.odds) for call in calls_of(analysis))


class Verdict(Enum):
    """What a grading pass decides for one due call."""

    GRADED = "graded"
    UNGRADABLE = "ungradable"
    WAIT = "wait"


def verdict(snapshot: MarketSnapshot, call: Call) -> tuple[Verdict, Outcome | None]:
    """Grade ``call`` on ``snapshot``: an outcome, too old for the candles, or not yet closed."""
    outcome = grade_finest(snapshot, call)
    if outcome is not None:
        return Verdict.GRADED, outcome
    if not reaches_back(snapshot, call):
        return Verdict.UNGRADABLE, None
    return Verdict.WAIT, None


@dataclass(frozen=True, slots=True)
class RecentCall:
    """One call as listed: what it stated and what happened (``right``: None without odds)."""

    call: Call
    horizon: str
    outcome: Outcome
    right: bool | None


@dataclass(frozen=True, slots=True)
class HorizonRecord:
    """The scores of one horizon and whether enough calls back a Brier score."""

    name: str
    summary: HorizonSummary
    brier_shown: bool


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """What /trackrecord shows for one symbol (or every symbol: ``symbol`` None)."""

    symbol: str | None
    horizons: tuple[HorizonRecord, ...]
    recent: tuple[RecentCall, ...]
    graded: int
    pending: int
    ungradable: int
    next_due: datetime | None
    min_calls_for_brier: int = MIN_CALLS_FOR_BRIER


def _recent(row: Row) -> RecentCall:
    assert row.outcome is not None
    p = row.call.probability
    right = None if p is None or p == 0.5 else (p > 0.5) == row.outcome.up
    return RecentCall(row.call, horizon_name(row.call.horizon), row.outcome, right)


def first_of_each_day(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """The first call of each (symbol, UTC day, horizon): posts minutes apart state the same
    odds on nearly the same path, so counting each would overstate the evidence."""
    seen: set[tuple[str, date, timedelta]] = set()
    out = []
    for row in sorted(rows, key=lambda r: r.call.as_of):
        key = (row.call.symbol, row.call.as_of.astimezone(UTC).date(), row.call.horizon)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return tuple(out)


def summarise_record(symbol: str | None, graded: tuple[Row, ...], recent: tuple[Row, ...],
                     pending: int, ungradable: int, next_due: datetime | None) -> TrackRecord:
    """The track record per horizon (first call of each day), beside the baselines."""
    scored = first_of_each_day(graded)
    horizons = []
    for horizon in sorted({r.call.horizon for r in scored} | set(HORIZONS)):
        summary = summarise(scored, horizon)
        if summary.graded:
            horizons.append(HorizonRecord(horizon_name(horizon), summary,
                                          summary.graded >= MIN_CALLS_FOR_BRIER
                                          and summary.brier is not None))
    return TrackRecord(
        symbol=symbol,
        horizons=tuple(horizons),
        recent=tuple(_recent(r) for r in recent if r.outcome is not None),
        graded=len(graded),
        pending=pending,
        ungradable=ungradable,
        next_due=next_due,
    )
