"""Grading a call on a constructed price path: direction, range, levels and which came first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from bot.evidence.grading import grade
from bot.evidence.model import Call, NamedLevel
from bot.market.models import CandleSeries, ms_from_utc

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _hourly(closes: list[float], highs: list[float], lows: list[float]) -> CandleSeries:
    start = ms_from_utc(T0)
    times = [start + i * 3_600_000 for i in range(len(closes))]
    opens = [100.0, *closes[:-1]]
    return CandleSeries.from_arrays("1h", times, opens, highs, lows, closes, np.ones(len(closes)))


def _call(horizon: timedelta = timedelta(hours=24)) -> Call:
    return Call(
        symbol="BTC", as_of=T0, price=100.0, horizon=horizon, probability=0.55,
        base_rate=0.52, low_price=96.0, high_price=104.0, bias="bullish", momentum="up",
        levels=(NamedLevel("support", 95.0), NamedLevel("resistance", 110.0)),
    )


def _path() -> CandleSeries:
    closes = [100.0] * 24
    highs = [101.0] * 24
    lows = [99.0] * 24
    lows[3] = 94.5  # support reached in hour 4
    highs[10] = 111.0  # resistance reached in hour 11
    closes[-1] = 105.0
    return _hourly(closes, highs, lows)


def test_a_day_that_dips_through_support_then_tops_resistance_grades_both_touches() -> None:
    outcome = grade(_call(), _path())

    assert outcome is not None
    assert outcome.price == 105.0
    assert round(outcome.change_pct, 6) == 5.0
    assert outcome.up is True
    assert outcome.in_range is False  # 105 lies above the stated 96–104 range
    assert outcome.touched == ("support", "resistance")
    assert outcome.first_level == "support"
    assert round(outcome.max_down_pct, 6) == -5.5
    assert round(outcome.max_up_pct, 6) == 11.0


def test_a_call_whose_horizon_has_not_passed_is_not_graded() -> None:
    assert grade(_call(timedelta(days=7)), _path()) is None


def test_a_level_never_reached_is_not_touched() -> None:
    quiet = _hourly([100.0] * 24, [101.0] * 24, [99.0] * 24)

    outcome = grade(_call(), quiet)

    assert outcome is not None
    assert outcome.touched == ()
    assert outcome.first_level is None
    assert outcome.up is False
    assert outcome.in_range is True
