"""Walk-forward odds: setups, climatology, edges only where history is consistent, no look-ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from bot.analysis.odds import _Decisions, _horizon_odds, _record, compute_odds
from bot.analysis.setups import SETUPS, setup_codes
from bot.evidence.scoring import brier, rate, reliability
from bot.market.models import CandleSeries

DAY_MS = 86_400_000
START = datetime(2020, 1, 1, tzinfo=UTC)


def _daily(closes: np.ndarray) -> CandleSeries:
    t0 = int(START.timestamp() * 1000)
    times = [t0 + i * DAY_MS for i in range(len(closes))]
    return CandleSeries.from_arrays("1d", times, closes, closes * 1.01, closes * 0.99, closes,
                                    np.ones(len(closes)))


def _random_walk(days: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.03, days)))


def test_a_steady_climb_is_an_uptrend_and_a_steady_fall_a_downtrend() -> None:
    up = np.linspace(100, 200, 80)

    assert SETUPS[setup_codes(up)[-1]] == "uptrend"
    assert SETUPS[setup_codes(up[::-1].copy())[-1]] == "downtrend"
    assert setup_codes(up)[:49].tolist() == [-1] * 49  # warm-up of the 50-day average


def test_a_random_walk_shows_no_edge_and_states_the_climatology() -> None:
    closes = _random_walk(1500)
    at = START + timedelta(days=1500)

    odds = compute_odds(_daily(closes), at)

    assert odds is not None
    for h in odds.horizons:
        assert h.edge is None
        assert h.probability == h.base_rate
        assert h.samples >= 100
        assert h.low_pct < h.median_pct < h.high_pct


def test_odds_ignore_everything_after_the_post() -> None:
    closes = _random_walk(1600)
    at = START + timedelta(days=1200, hours=12)

    short = compute_odds(_daily(closes[:1201]), at)
    long = compute_odds(_daily(closes), at)

    assert short == long


def _setups_with(up_share_old: float, up_share_new: float) -> tuple[np.ndarray, np.ndarray]:
    """1,200 days: setup 0 rises with the given shares (older, newer half); others at 50%."""
    rng = np.random.default_rng(11)
    codes = rng.integers(0, 4, 1200)
    moves = rng.choice([-1.0, 1.0], 1200)
    for half, share in ((slice(0, 600), up_share_old), (slice(600, 1200), up_share_new)):
        idx = np.flatnonzero(codes[half] == 0) + half.start
        ups = rng.random(len(idx)) < share
        moves[idx] = np.where(ups, 1.0, -1.0)
    codes[-1], moves[-1] = 0, np.nan  # today: setup 0, outcome not yet known
    return codes, moves


def test_a_lean_in_both_halves_whose_earlier_calls_beat_the_base_rate_is_an_edge() -> None:
    codes, moves = _setups_with(0.75, 0.75)
    times = np.arange(1200) * DAY_MS

    odds = _horizon_odds(timedelta(days=1), codes, moves, times)

    assert odds is not None
    assert odds.lean == "up" and odds.edge == "up"
    assert odds.tested >= 20 and (odds.tested_skill or 0.0) > 0
    assert odds.base_rate < odds.probability < odds.frequency


def _would_be_calls(outcomes: list[float]) -> tuple[_Decisions, np.ndarray, np.ndarray]:
    """Forty days of setup 0 with a stated 70% "up" call each, then today (outcome unknown)."""
    n = len(outcomes) + 1
    codes = np.zeros(n, dtype=np.int64)
    moves = np.append(np.asarray(outcomes), np.nan)
    flat = np.full(n, 0.5)
    decisions = _Decisions(base_rate=flat, edge=np.ones(n), probability=np.full(n, 0.7))
    return decisions, codes, moves


def test_a_lean_whose_earlier_calls_mostly_failed_has_no_skill_to_show() -> None:
    decisions, codes, moves = _would_be_calls([1.0] * 12 + [-1.0] * 28)

    tested, skill = _record(decisions, codes, moves, days=1)

    assert tested == 40
    assert skill is not None and skill < 0


def test_a_record_of_calls_that_mostly_came_true_shows_skill() -> None:
    decisions, codes, moves = _would_be_calls([1.0] * 30 + [-1.0] * 10)

    tested, skill = _record(decisions, codes, moves, days=1)

    assert tested == 40
    # Brier (30 × 0.09 + 10 × 0.49) / 40 = 0.19 against 0.25 for an even chance
    assert skill is not None and round(skill, 4) == round(1 - 0.19 / 0.25, 4)


def test_an_edge_that_faded_in_the_newer_half_is_not_claimed() -> None:
    codes, moves = _setups_with(0.9, 0.5)
    times = np.arange(1200) * DAY_MS

    odds = _horizon_odds(timedelta(days=1), codes, moves, times)

    assert odds is not None
    assert odds.frequency > 0.6
    assert odds.edge is None
    assert odds.probability == odds.base_rate


def test_too_little_history_gives_no_odds() -> None:
    assert compute_odds(_daily(_random_walk(70)), START + timedelta(days=70)) is None


def test_wilson_interval_brier_and_reliability_match_hand_computed_values() -> None:
    r = rate([True] * 5 + [False] * 5)
    assert r.rate == 0.5
    low, high = r.interval or (0.0, 0.0)
    assert round(low, 4) == 0.2366 and round(high, 4) == 0.7634

    b = brier([0.6, 0.6], [0.5, 0.5], [True, False])
    assert b is not None
    assert round(b.score, 4) == 0.26 and round(b.climatology, 4) == 0.25
    assert round(b.skill or 0.0, 4) == -0.04

    bins = reliability([0.55, 0.58, 0.41], [True, False, False])
    assert [(x.low, x.calls) for x in bins] == [(0.4, 1), (0.5, 2)]
    assert bins[1].realised == 0.5
