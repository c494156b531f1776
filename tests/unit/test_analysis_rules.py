"""The documented rules: ADX bands, RSI states, bias labels and weights, levels, outlook."""

from __future__ import annotations

import numpy as np
import pytest

from bot.analysis import analyse
from bot.analysis.bias import WEIGHTS, compute_bias, label_for
from bot.analysis.derivatives import analyse_derivatives
from bot.analysis.levels import cluster, pivots, round_step
from bot.analysis.model import Bias, Level, Levels, TrendReading
from bot.analysis.outlook import compute_outlook
from bot.analysis.trend import dmi_direction, rsi_state, strength_band
from bot.config import Settings
from tests.unit.analysis_data import at, synthetic_series, synthetic_snapshot

END = at("2026-02-04T12:00:00Z")


@pytest.mark.parametrize(("adx", "band"), [
    (None, None), (12.0, "weak"), (19.99, "weak"), (20.0, "emerging"), (24.9, "emerging"),
    (25.0, "strong"), (36.3, "strong"), (50.0, "strong"), (50.1, "very strong"),
])
def test_adx_strength_bands(adx: float | None, band: str | None) -> None:
    assert strength_band(adx) == band


def test_dmi_direction_and_rsi_states() -> None:
    assert dmi_direction(8.4, 35.1) == "bearish"
    assert dmi_direction(30.0, 10.0) == "bullish"
    assert dmi_direction(None, 10.0) is None and dmi_direction(10.0, 10.0) is None
    assert [rsi_state(v) for v in (26.4, 40, 50, 60, 75)] == [
        "oversold", "weak", "neutral", "strong", "overbought"]


def test_bias_labels_cover_the_score_range() -> None:
    assert [label_for(s) for s in (-1.0, -0.6, -0.59, -0.2, 0.0, 0.2, 0.59, 0.6, 1.0)] == [
        "strongly bearish", "strongly bearish", "bearish", "bearish", "neutral",
        "bullish", "bullish", "strongly bullish", "strongly bullish"]


def test_bias_weights_sum_to_one_and_reasons_add_up_to_the_score(settings: Settings) -> None:
    assert sum(f.weight for f in WEIGHTS) == pytest.approx(1.0)
    closes = 100.0 * np.exp(np.linspace(0.0, 0.6, 24 * 260))
    result = analyse(synthetic_snapshot(closes, END), settings)
    bias = result.bias
    total = sum(r.contribution for r in bias.reasons) / sum(r.weight for r in bias.reasons)
    assert bias.score == pytest.approx(total)
    assert bias.label == "strongly bullish" and bias.confidence == "high"
    assert all(abs(r.contribution) <= r.weight for r in bias.reasons)


def test_bias_without_any_input_is_neutral_with_low_confidence() -> None:
    empty = analyse_derivatives(synthetic_snapshot(np.array([]), END))
    assert compute_bias({}, None, empty, None) == Bias(0.0, "neutral", "low")


def test_pivots_are_confirmed_swing_points_only() -> None:
    closes = np.array([10, 11, 12, 13, 12, 11, 10, 11, 12, 11.5, 11.8, 12.5, 14.0])
    found = pivots(synthetic_series("4h", closes, END, spread=0.0), lookback=50, span=3)
    # The 13 high is confirmed (3 lower bars after it); the last bars cannot be yet.
    assert (13.0, "high") in found
    assert (10.0, "low") in found and all(p < 14.0 for p, _ in found)


def test_clusters_merge_pivots_within_tolerance() -> None:
    points = [(100.0, "low"), (100.4, "high"), (103.0, "high"), (100.2, "low")]
    assert cluster(points, tolerance=0.5) == [
        (pytest.approx(100.2), 3, "mixed"), (103.0, 1, "high")]


def test_round_numbers_step_with_the_price() -> None:
    assert (round_step(76_017.25), round_step(2_250.0), round_step(150.0)) == (5000, 500, 50)


def _level(price: float, kind: str, source: str = "sma") -> Level:
    return Level(price, kind, source, "4h", 1, "4h SMA50", (price - 100.0))  # type: ignore[arg-type]


def test_outlook_names_target_and_reclaim_for_a_bearish_bias() -> None:
    levels = Levels((_level(95, "support", "round"),), (_level(104, "resistance"),),
                    _level(95, "support", "round"), _level(104, "resistance"))
    bearish = Bias(-0.7, "strongly bearish", "high")
    down = {"1h": TrendReading("1h", 30.0, 10.0, 25.0, "strong", "bearish")}
    up = {"1h": TrendReading("1h", 30.0, 25.0, 10.0, "strong", "bullish")}
    cont = compute_outlook(bearish, down, levels, 100.0)
    assert cont.scenario == "continuation" and cont.direction == "bearish"
    assert [(t.role, t.level.price) for t in cont.triggers] == [("target", 95), ("reclaim", 104)]
    assert compute_outlook(bearish, up, levels, 100.0).scenario == "pullback"
    assert compute_outlook(bearish, up, levels, 105.0).scenario == "reversal"


def test_an_empty_snapshot_still_gives_every_interface_key_as_null(settings: Settings) -> None:
    from bot.analysis.serialize import analysis_to_json

    doc = analysis_to_json(analyse(synthetic_snapshot(np.array([]), END), settings))
    assert doc["price"] == {"last": None, "change_24h_pct": None, "low_24h": None,
                            "high_24h": None}
    assert doc["indicators"]["1d"]["sma"] == {"20": None, "50": None, "100": None, "200": None}
    assert doc["levels"] == {"support": [], "resistance": [], "next_support": None,
                             "reversal": None, "nearby": [], "breakdown": None}
    assert doc["derivatives"]["long_short_ratio"] is None and doc["whales"] is None
    assert doc["bias"] == {"score": 0.0, "label": "neutral", "confidence": "low", "reasons": []}


def test_a_break_inside_the_forming_bar_is_timed_at_the_snapshot_not_the_future() -> None:
    from datetime import timedelta

    from bot.analysis.price_action import breaches
    from bot.market.models import CandleSeries, ms_from_utc

    start = END - timedelta(hours=3)
    times = [ms_from_utc(start + timedelta(hours=i)) for i in range(3)]
    # the last bar opened 11:00 and is still forming at 11:40; it closes below $80k
    bars = CandleSeries.from_arrays("1h", times, [81_000, 80_800, 80_500],
                                    [81_200, 81_000, 80_600], [80_700, 80_400, 79_500],
                                    [80_800, 80_500, 79_600], [1, 1, 1], forming=True)
    support = Level(80_000.0, "resistance", "round", None, 3, "round number", 0.5)
    as_of = END - timedelta(minutes=20)
    [hit] = breaches(bars, Levels(resistance=(support,)), as_of)
    assert hit.direction == "below" and hit.price == 80_000.0
    assert hit.time == as_of


def test_futures_alone_without_price_history_never_make_a_strong_read() -> None:
    from bot.analysis.bias import compute_bias
    from bot.analysis.model import Aggregate, Derivatives

    crowded_longs = Derivatives(long_short_ratio=Aggregate(2.0, ("okx",)))

    bias = compute_bias({}, None, crowded_longs, None)

    # one fact at full strength (weight 0.05) over half the weights: 0.1, not +1
    assert round(bias.score, 6) == 0.1
    assert bias.label == "neutral"
    assert bias.confidence == "low"
