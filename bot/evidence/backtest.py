"""The backtest: at each step, the post's own analysis (no look-ahead), its calls, graded.

``run_backtest`` walks a :class:`ReplaySource` from ``start`` to ``end``: at every step
it takes the snapshot a post would see, runs :func:`bot.analysis.analyse`, takes the
calls with :func:`calls_of` (what the post states) and grades them with
:func:`grade` on the data after the step. ``summarise`` scores the rows beside the
baselines (momentum, always up, always down).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.analysis import Analysis, analyse
from bot.analysis.model import Odds
from bot.analysis.odds import HORIZONS, compute_odds
from bot.config import Settings
from bot.evidence.calls import calls_of
from bot.evidence.grading import grade_finest
from bot.evidence.model import Call, LevelRole, Outcome, Row
from bot.evidence.scoring import Brier, Rate, ReliabilityBin, brier, rate, reliability
from bot.market.replay import ReplaySource

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class LevelScore:
    """How often a named level was reached within the horizon, and reached first."""

    role: LevelRole
    reached: Rate
    first: Rate


@dataclass(frozen=True, slots=True)
class HorizonSummary:
    """Every score of one horizon."""

    horizon: timedelta
    graded: int
    outlook: Rate
    edge_calls: Rate
    bias: Rate
    momentum: Rate
    always_up: Rate
    always_down: Rate
    brier: Brier | None
    reliability: tuple[ReliabilityBin, ...]
    in_range: Rate
    levels: tuple[LevelScore, ...]
    invalidation_bearish: Rate
    invalidation_bullish: Rate


@dataclass(frozen=True, slots=True)
class Backtest:
    """The rows and their summary per horizon."""

    symbol: str
    start: datetime
    end: datetime
    every: timedelta
    rows: tuple[Row, ...]
    horizons: tuple[HorizonSummary, ...]


def steps(start: datetime, end: datetime, every: timedelta) -> Iterator[datetime]:
    """``start``, ``start + every`` … up to and including ``end``."""
    at = start
    while at <= end:
        yield at
        at += every


def row_of(analysis: Analysis, call: Call, outcome: Outcome | None,
           odds: Odds | None) -> Row:
    """The call with the post's state at the time (``odds``: the odds the call came from)."""
    h = odds.at(call.horizon) if odds is not None else None
    return Row(
        call=call,
        outcome=outcome,
        bias_score=analysis.bias.score,
        bias_label=analysis.bias.label,
        setup=odds.setup if odds is not None else None,
        samples=h.samples if h else None,
        edge=h.edge if h else None,
        view=analysis.outlook.direction,
    )


def rows_at(source: ReplaySource, settings: Settings, symbol: str, at: datetime,
            horizons: tuple[timedelta, ...], data_end: datetime) -> list[Row]:
    """The graded calls of the post ``symbol`` would get at ``at``."""
    snapshot = source.at_time(at).snapshot_now(symbol)
    analysis = analyse(snapshot, settings)
    odds = analysis.odds
    if horizons != HORIZONS:
        odds = compute_odds(snapshot.daily_history or snapshot.series("1d"), at, horizons)
    calls = calls_of(analysis, horizons, odds_for=odds)
    if not calls:
        return []
    later = min(at + max(horizons), data_end)
    future = source.at_time(later).snapshot_now(symbol) if later > at else None
    return [row_of(analysis, call, grade_finest(future, call) if future is not None else None,
                   odds) for call in calls]


def run_backtest(source: ReplaySource, settings: Settings, symbol: str, start: datetime,
                 end: datetime, every: timedelta,
                 horizons: tuple[timedelta, ...] = HORIZONS,
                 progress: Progress | None = None) -> Backtest:
    """Walk the replay from ``start`` to ``end`` and score every call."""
    _, data_end = source.covered_range(symbol)
    times = list(steps(start, end, every))
    rows: list[Row] = []
    for done, at in enumerate(times, 1):
        rows.extend(rows_at(source, settings, symbol, at, horizons, data_end))
        if progress is not None:
            progress(done, len(times))
    return Backtest(symbol, start, end, every, tuple(rows),
                    tuple(summarise(rows, h) for h in horizons))


def _direction_hit(up: bool, says_up: bool | None) -> bool | None:
    return None if says_up is None else up == says_up


def _hits(graded: list[tuple[Row, Outcome]], says: Callable[[Row], bool | None]) -> Rate:
    flags = [_direction_hit(o.up, says(r)) for r, o in graded]
    return rate([f for f in flags if f is not None])


def _stated_up(row: Row) -> bool | None:
    p = row.call.probability
    return None if p is None or p == 0.5 else p > 0.5


def _level_scores(graded: list[tuple[Row, Outcome]]) -> tuple[LevelScore, ...]:
    out = []
    for role in ("support", "resistance"):
        named = [(r, o) for r, o in graded if any(lv.role == role for lv in r.call.levels)]
        out.append(LevelScore(
            role=role,
            reached=rate([role in o.touched for _, o in named]),
            first=rate([o.first_level == role for _, o in named]),
        ))
    return tuple(out)


def _invalidation(graded: list[tuple[Row, Outcome]], view: str) -> Rate:
    named = [(r, o) for r, o in graded
             if r.view == view and any(lv.role == "invalidation" for lv in r.call.levels)]
    return rate(["invalidation" in o.touched for _, o in named])


def summarise(rows: list[Row] | tuple[Row, ...], horizon: timedelta) -> HorizonSummary:
    """Scores of one horizon's graded rows."""
    graded = [(r, r.outcome) for r in rows
              if r.call.horizon == horizon and r.outcome is not None]
    stated = [(r, o) for r, o in graded
              if r.call.probability is not None and r.call.base_rate is not None]
    probabilities = [r.call.probability or 0.0 for r, _ in stated]
    ranged = [o.in_range for _, o in graded if o.in_range is not None]
    return HorizonSummary(
        horizon=horizon,
        graded=len(graded),
        outlook=_hits(graded, _stated_up),
        edge_calls=_hits([(r, o) for r, o in graded if r.edge], _stated_up),
        bias=_hits(graded, lambda r: None if r.call.bias == "neutral"
                   else r.call.bias == "bullish"),
        momentum=_hits(graded, lambda r: None if r.call.momentum is None
                       else r.call.momentum == "up"),
        always_up=_hits(graded, lambda r: True),
        always_down=_hits(graded, lambda r: False),
        brier=brier(probabilities, [r.call.base_rate or 0.0 for r, _ in stated],
                    [o.up for _, o in stated]),
        reliability=reliability(probabilities, [o.up for _, o in stated]),
        in_range=rate(ranged),
        levels=_level_scores(graded),
        invalidation_bearish=_invalidation(graded, "bearish"),
        invalidation_bullish=_invalidation(graded, "bullish"),
    )
