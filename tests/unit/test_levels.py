"""Levels that matter: far enough for the horizon, on the right side, distinct, counted touches."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.analysis import analyse
from bot.analysis.levels import (
    DISTINCT_ATR,
    INVALIDATION_BAND_ATR,
    LIST_MIN_ATR,
    SUPPORT_MIN_ATR,
    distinct,
    find_levels,
    invalidation_level,
    visits,
)
from bot.analysis.model import Analysis, Bias, Level, Levels, TrendReading
from bot.analysis.outlook import compute_outlook
from bot.commentary import render_answer
from bot.commentary.render import render_string
from bot.config import Settings, load_settings
from bot.market.replay import ReplaySource
from tests.unit.analysis_data import at, synthetic_series, synthetic_snapshot
from tests.unit.commentary_cases import demo_analysis
from tests.unit.level_outcomes import HELD_OUT, SYMBOLS, calls, days, summarise

END = at("2026-02-04T12:00:00Z")
CONFIG: Settings = load_settings()


def _level(price: float, held: int = 0, touches: int = 0, source: str = "pivot",
           distance_atr: float = 0.0) -> Level:
    return Level(price=price, kind="resistance", source=source,  # type: ignore[arg-type]
                 timeframe="1d", touches=touches, label="pivot.1d.high", held=held,
                 distance_atr=distance_atr)


def _codes_say_the_label(lv: Level) -> bool:
    """The level's meaning is on the model as codes; the template words its short tag."""
    tag = render_string('{% import "_macros/words.j2" as w %}{{ w.level_label(code) }}',
                        "text", code=lv.label)
    if lv.source in ("sma", "ema"):
        return tag == f"{lv.timeframe} {lv.source.upper()}{lv.period}"
    if lv.source == "pivot":
        side = "" if lv.swing == "mixed" else f" {lv.swing}"
        return tag == f"{lv.timeframe} swing{side}"
    return lv.swing is None and lv.period is None and tag == "round number"


def assert_meaningful(result: Analysis, last: float) -> None:
    """Every property the levels promise at the analysis time."""
    levels = result.levels
    atr_4h, atr_1d = result.indicators["4h"].atr, result.indicators["1d"].atr
    assert all(lv.price < last for lv in levels.support)
    assert all(lv.price > last for lv in levels.resistance)
    listed = (*levels.support, *levels.resistance)
    if listed:
        assert atr_1d is not None and atr_4h is not None
        assert all(abs(lv.price - last) >= LIST_MIN_ATR * atr_4h * (1 - 1e-9) for lv in listed)
        prices = sorted(lv.price for lv in listed)
        assert all(b - a > DISTINCT_ATR * atr_1d for a, b in pairwise(prices))
        assert all(0 <= lv.held <= lv.touches for lv in listed)
        assert all(_codes_say_the_label(lv) for lv in listed)
    if levels.nearby:
        assert atr_4h is not None
        assert all(abs(lv.price - last) < LIST_MIN_ATR * atr_4h for lv in levels.nearby)
    if levels.next_support is not None:
        assert levels.next_support in levels.support
        assert -levels.next_support.distance_atr >= SUPPORT_MIN_ATR
    if levels.reversal is not None:
        assert levels.reversal in levels.resistance
        assert levels.reversal.distance_atr >= INVALIDATION_BAND_ATR[0]
    if levels.breakdown is not None:
        assert levels.breakdown in levels.support
        assert -levels.breakdown.distance_atr >= INVALIDATION_BAND_ATR[0]


def test_touches_count_visits_and_held_counts_those_that_turned_back() -> None:
    # Level 100: a dip to 100 that bounces (held), a close through it (broken), a rally
    # from below that touches it and falls back (held as resistance) — three visits.
    closes = np.array([110, 105, 100, 106, 112, 108, 101, 109, 115, 104, 99, 95, 92, 98, 103,
                       97], dtype=float)
    daily = synthetic_series("1d", closes, END, spread=0.0)
    assert visits(daily, 100.0, tolerance=0.0) == (3, 2)
    # Within 1.5 the dip to 101 is a fourth visit, and it held.
    assert visits(daily, 100.0, tolerance=1.5) == (4, 3)
    assert visits(daily, 150.0, tolerance=1.5) == (0, 0)


def test_a_moving_level_is_visited_where_each_bar_met_it() -> None:
    closes = np.array([100, 101, 102, 103, 104, 105], dtype=float)
    daily = synthetic_series("1d", closes, END, spread=0.0)
    # A line 0.5 under each close lies inside every bar's range (previous close..close) but
    # the first (open = close = 100): one visit, entered from below (100 < 100.5) and left
    # above (105 > 104.5), so it did not hold.
    assert visits(daily, closes - 0.5, tolerance=0.0) == (1, 0)
    # A rising support met only by bar 2's wick (low 103.75, close 104.8 above 104): held.
    wicks = synthetic_series("1d", np.array([105, 106, 104.8, 107, 108]), END, spread=0.01)
    assert visits(wicks, np.array([100, 101, 104, 102, 102.5]), tolerance=0.0) == (1, 1)


def test_of_two_close_levels_the_one_that_held_more_is_kept() -> None:
    weak, strong, apart = _level(100.0, held=0), _level(100.5, held=2), _level(103.0)
    kept = distinct([weak, strong, apart], gap=1.0)
    assert len(kept) == 2 and set(kept) == {strong, apart}


def test_reversal_is_the_strongest_resistance_in_its_band_not_the_nearest() -> None:
    near = _level(101.0, held=5, distance_atr=1.0)
    first = _level(102.0, held=1, distance_atr=1.6)
    strongest = _level(103.0, held=3, distance_atr=2.4)
    beyond = _level(105.0, held=9, distance_atr=3.5)
    assert invalidation_level([near, first, strongest, beyond]) == strongest
    assert invalidation_level([near, beyond]) == beyond
    assert invalidation_level([near]) is None


def test_a_snapshot_without_daily_bars_has_no_levels() -> None:
    result = analyse(synthetic_snapshot(np.full(30, 100.0), END), CONFIG)
    assert result.levels.support == () and result.levels.next_support is None
    assert find_levels({}, {}, 100.0) == result.levels


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), vol=st.floats(0.001, 0.03),
       drift=st.sampled_from([-0.001, 0.0, 0.001]))
def test_levels_on_random_markets_keep_their_promises(seed: int, vol: float,
                                                      drift: float) -> None:
    steps = np.random.default_rng(seed).normal(drift, vol, 24 * 300)
    closes = 50_000 * np.exp(np.cumsum(steps))
    result = analyse(synthetic_snapshot(closes, END, spread=0.004), CONFIG)
    assert_meaningful(result, float(closes[-1]))


@pytest.fixture(scope="module")
def replay() -> tuple[Path, ReplaySource]:
    from tests.conftest import shared_data_or_skip

    data = shared_data_or_skip()
    return data, ReplaySource(data, None, CONFIG)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_levels_on_real_markets_keep_their_promises(
    replay: tuple[Path, ReplaySource], symbol: str
) -> None:
    _, source = replay
    for when in days(at("2026-01-28T07:00:00Z"), at("2026-07-25T07:00:00Z"))[::4]:
        snap = source.at_time(when).snapshot_now(symbol)
        assert snap.last_price is not None
        assert_meaningful(analyse(snap, CONFIG), snap.last_price)


def test_on_the_held_out_half_next_support_and_reversal_are_rarely_reached_too_soon(
    replay: tuple[Path, ReplaySource],
) -> None:
    data, source = replay
    rows = [c for sym in SYMBOLS for c in calls(data, CONFIG, sym, days(*HELD_OUT), source)]
    got = summarise(rows)
    assert got.calls == 180 and got.bearish_calls >= 30
    assert got.support_touched_24h is not None and got.support_touched_24h <= 0.30
    assert got.reversal_reached_7d is not None and got.reversal_reached_7d <= 0.20
    assert got.bullish_calls >= 20
    assert got.breakdown_reached_7d is not None and got.breakdown_reached_7d <= 0.20
    # Still levels a trader would look at: within about three daily ATRs.
    assert got.support_atr_1d is not None and got.support_atr_1d <= 3.0
    assert got.reversal_atr_1d is not None and got.reversal_atr_1d <= 3.0


@pytest.mark.parametrize(("touches", "held", "wording"), [
    (3, 2, "(tested 3 times, held 2)."), (4, 4, "(tested 4 times, held every time)."),
    (2, 0, "(tested 2 times, never held)."), (1, 1, "above the price."),
])
def test_the_reversal_answer_says_how_often_the_level_was_tested_and_held(
    touches: int, held: int, wording: str
) -> None:
    analysis = demo_analysis("range")
    assert analysis.price is not None
    last = analysis.price.last
    level = replace(_level(last * 1.1, held=held, touches=touches, distance_atr=2.0),
                    distance_pct=10.0)
    answer = render_answer("resistance", replace(analysis, levels=Levels(
        resistance=(level,), reversal=level)), "text", standalone=False)
    assert answer.splitlines()[0].endswith(wording)


def test_a_bullish_outlook_is_invalidated_by_the_breakdown_level_not_the_next_support() -> None:
    nearest_up = replace(_level(103.0, distance_atr=0.8), distance_pct=3.0)
    support = replace(_level(98.0, distance_atr=-0.6), kind="support", distance_pct=-2.0)
    floor = replace(_level(92.0, held=2, distance_atr=-2.2), kind="support", distance_pct=-8.0)
    levels = Levels(support=(support, floor), resistance=(nearest_up,), next_support=support,
                    breakdown=floor)
    up = {"1h": TrendReading("1h", 30.0, 25.0, 10.0, "strong", "bullish")}
    outlook = compute_outlook(Bias(0.6, "bullish", "medium"), up, levels, 100.0)
    assert [(t.role, t.level.price) for t in outlook.triggers] == [
        ("target", 103.0), ("invalidation", 92.0)]
    neutral = compute_outlook(Bias(0.0, "neutral", "low"), up, levels, 100.0)
    assert [(t.role, t.level.price) for t in neutral.triggers] == [
        ("target", 103.0), ("invalidation", 98.0)]
