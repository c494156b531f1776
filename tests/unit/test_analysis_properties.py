"""Properties of the analysis on generated markets: bounds, ordering, no look-ahead, no crash."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.analysis import analyse
from bot.analysis.serialize import analysis_to_json
from bot.config import Settings, load_settings
from bot.market.models import CandleSeries, MarketSnapshot
from tests.unit.analysis_data import at, synthetic_snapshot

END = at("2026-02-04T12:00:00Z")
CONFIG: Settings = load_settings()


@st.composite
def markets(draw: st.DrawFn) -> MarketSnapshot:
    """Random walks, flat lines, tiny histories and gapped hourly series."""
    n = draw(st.integers(min_value=0, max_value=360))
    start = draw(st.floats(min_value=1e-4, max_value=2e5))
    shape = draw(st.sampled_from(["walk", "flat", "trend"]))
    if shape == "flat":
        closes = np.full(n, start)
    else:
        seed = draw(st.integers(0, 2**32 - 1))
        vol = draw(st.floats(min_value=0.0, max_value=0.08))
        drift = 0.002 if shape == "trend" else 0.0
        steps = np.random.default_rng(seed).normal(drift, vol, n)
        closes = start * np.exp(np.cumsum(steps))
    gaps = tuple(draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=20))) if n else ()
    spread = 0.0 if shape == "flat" else draw(st.floats(min_value=0.0, max_value=0.03))
    return synthetic_snapshot(closes, END, spread=spread, gaps=gaps)


def _with_future_bars(snap: MarketSnapshot, count: int) -> MarketSnapshot:
    candles = {}
    for tf, s in snap.candles.items():
        if len(s) == 0:
            candles[tf] = s
            continue
        step = s.interval_ms
        future = s.open_time[-1] + step * np.arange(1, count + 1)
        future = np.maximum(future, int(END.timestamp() * 1000))
        spike = np.full(count, float(s.close[-1]) * 3)
        candles[tf] = CandleSeries.from_arrays(
            tf, np.concatenate([s.open_time, future]), np.concatenate([s.open, spike]),
            np.concatenate([s.high, spike * 1.1]), np.concatenate([s.low, spike * 0.9]),
            np.concatenate([s.close, spike]), np.concatenate([s.volume, spike]),
        )
    return replace(snap, candles=candles)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markets())
def test_analysis_never_raises_and_stays_within_bounds(snap: MarketSnapshot) -> None:
    result = analyse(snap, CONFIG)
    json.dumps(analysis_to_json(result), allow_nan=False)
    assert -1.0 <= result.bias.score <= 1.0
    assert all(r.direction in ("bullish", "bearish", "neutral") for r in result.bias.reasons)
    last = snap.last_price
    support, resistance = result.levels.support, result.levels.resistance
    if last is not None:
        assert all(lv.price < last for lv in support)
        assert all(lv.price > last for lv in resistance)
    below = [abs(lv.distance_pct) for lv in support]
    above = [lv.distance_pct for lv in resistance]
    assert below == sorted(below) and above == sorted(above)
    if result.levels.next_support is not None:
        assert result.levels.next_support in support
    if result.levels.reversal is not None:
        assert result.levels.reversal in resistance


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markets(), st.integers(min_value=1, max_value=30))
def test_bars_after_as_of_do_not_change_the_analysis(snap: MarketSnapshot, count: int) -> None:
    before = analysis_to_json(analyse(snap, CONFIG))
    after = analysis_to_json(analyse(_with_future_bars(snap, count), CONFIG))
    assert after == before
