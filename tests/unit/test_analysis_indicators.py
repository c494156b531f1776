"""Indicators (TA-Lib) agree with an independent numpy reference on real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.analysis.indicators import compute_indicators
from bot.config import IndicatorSettings, Settings
from tests.unit import indicator_reference as ref
from tests.unit.analysis_data import at, replay_snapshot, synthetic_series

MOMENTS = ("2026-02-04T12:00:00Z", "2026-02-05T18:30:00Z", "2026-03-20T07:00:00Z")


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("timeframe", ["1h", "4h", "1d"])
def test_indicators_match_the_numpy_reference_on_real_data(
    shared_data: Path, settings: Settings, moment: str, timeframe: str
) -> None:
    series = replay_snapshot(shared_data, settings, moment).series(timeframe)
    h, lo, c = (np.asarray(a, dtype=float) for a in (series.high, series.low, series.close))
    got = compute_indicators(series, IndicatorSettings())
    close = pytest.approx
    assert got.close == c[-1]
    for period in (20, 50, 100):
        assert got.sma[period] == close(ref.sma(c, period), rel=1e-9)
    for period in (20, 50):
        assert got.ema[period] == close(ref.ema_series(c, period)[-1], rel=1e-6)
    assert got.rsi == close(ref.rsi(c), rel=1e-4)
    assert got.atr == close(ref.atr(h, lo, c), rel=1e-4)
    closed = slice(0, len(c) - 1 if series.forming else len(c))
    plus_di, minus_di, adx = ref.dmi(h[closed], lo[closed], c[closed])
    assert not got.dmi_forming
    assert got.plus_di == close(plus_di, rel=1e-4)
    assert got.minus_di == close(minus_di, rel=1e-4)
    assert got.adx == close(adx, rel=1e-3)
    line, signal, hist = ref.macd(c)
    assert got.macd.macd == close(line, rel=1e-4, abs=1e-6)
    assert got.macd.signal == close(signal, rel=1e-4, abs=1e-6)
    assert got.macd.hist == close(hist, rel=1e-3, abs=1e-3)


def test_daily_sma200_uses_two_hundred_days_of_real_closes(
    shared_data: Path, settings: Settings
) -> None:
    series = replay_snapshot(shared_data, settings, MOMENTS[0]).series("1d")
    got = compute_indicators(series, IndicatorSettings())
    assert got.sma[200] == pytest.approx(float(np.mean(series.close[-200:])), rel=1e-9)
    assert got.forming is True


def test_short_history_gives_none_not_nan_for_unmet_warm_up() -> None:
    closes = np.linspace(100.0, 130.0, 25)
    got = compute_indicators(
        synthetic_series("1h", closes, at("2026-01-02T00:00:00Z")), IndicatorSettings()
    )
    assert got.sma[20] == pytest.approx(closes[-20:].mean())
    assert got.sma[50] is None and got.sma[200] is None and got.ema[50] is None
    assert got.adx is None  # ADX 14 first appears on bar 28
    assert got.macd.signal is None
    assert got.rsi is not None and got.rsi > 70  # a steady climb reads overbought


def test_empty_series_has_no_values() -> None:
    got = compute_indicators(synthetic_series("4h", np.array([]), at("2026-01-02T00:00:00Z")),
                             IndicatorSettings())
    assert got.bars == 0 and got.close is None and got.rsi is None
    assert dict(got.sma) == {20: None, 50: None, 100: None, 200: None}
