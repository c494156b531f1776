"""ReplaySource on the real Binance/Hyperliquid data in ../shared/data (skipped when absent)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.market.replay import ReplaySource

AT = datetime(2026, 2, 4, 12, tzinfo=UTC)


@pytest.fixture
def replay(shared_data: Path, settings) -> ReplaySource:
    return ReplaySource(shared_data, AT, settings)


def _row(path: Path, key: str, value: str) -> dict[str, str]:
    with path.open(newline="") as fp:
        return next(r for r in csv.DictReader(fp) if r[key] == value)


async def test_btc_price_and_24h_range_at_noon_on_4_february(replay: ReplaySource) -> None:
    snap = await replay.snapshot("BTC")

    assert snap.as_of == AT
    assert snap.ticker is not None
    assert snap.ticker.last == 76_017.25
    assert snap.ticker.timestamp == AT
    assert snap.ticker.low_24h == 72_945.50
    assert snap.ticker.high_24h == 78_458.89
    hourly = snap.candles["1h"]
    assert hourly.time_at(-1) == datetime(2026, 2, 4, 11, tzinfo=UTC)
    assert hourly.close[-1] == 76_017.25


async def test_the_crash_day_candle_matches_the_exchange(replay: ReplaySource) -> None:
    snap = await replay.at_time(datetime(2026, 2, 6, tzinfo=UTC)).snapshot("BTC")

    daily = snap.candles["1d"]
    assert not daily.forming
    assert daily.time_at(-1) == datetime(2026, 2, 5, tzinfo=UTC)
    assert (daily.open[-1], daily.high[-1], daily.low[-1], daily.close[-1]) == (
        73_165.84, 73_341.18, 62_345.00, 62_909.86,
    )


async def test_warm_up_history_is_kept_where_the_data_has_it(replay: ReplaySource) -> None:
    snap = await replay.snapshot("BTC")

    assert len(snap.candles["4h"]) >= 250
    assert len(snap.candles["1d"]) >= 250
    assert snap.candles["1d"].forming
    assert snap.candles["1d"].high[-1] <= 76_971.52


async def test_the_complete_row_replaces_the_long_history_partial_candle(
    replay: ReplaySource, shared_data: Path
) -> None:
    snap = await replay.at_time(datetime(2026, 3, 5, tzinfo=UTC)).snapshot("BTC")

    ohlcv = shared_data / "ohlcv"
    partial = _row(ohlcv / "BTCUSDT_1d_binance-spot_2017-08-17_2026-03-04.csv",
                   "timestamp", "2026-03-04")
    complete = _row(ohlcv / "BTCUSDT_1d_binance-spot_2024-07-27_2026-07-26.csv",
                    "datetime", "2026-03-04 00:00:00")
    daily = snap.candles["1d"]
    assert daily.time_at(-1) == datetime(2026, 3, 4, tzinfo=UTC)
    assert daily.close[-1] == float(complete["close"])
    assert daily.volume[-1] == float(complete["volume"])
    assert daily.volume[-1] > float(partial["volume"])


async def test_years_old_times_replay_from_the_long_history(replay: ReplaySource) -> None:
    snap = await replay.at_time(datetime(2019, 6, 1, 10, tzinfo=UTC)).snapshot("BTC")

    assert "1h" not in snap.candles
    assert snap.candles["4h"].time_at(-1) == datetime(2019, 6, 1, 4, tzinfo=UTC)
    assert not snap.candles["4h"].forming
    assert snap.candles["1d"].forming
    assert snap.candles["1d"].close[-1] == snap.candles["4h"].close[-1]
    assert snap.ticker is not None
    assert snap.ticker.timestamp == datetime(2019, 6, 1, 8, tzinfo=UTC)


async def test_funding_and_whales_at_noon(replay: ReplaySource, shared_data: Path) -> None:
    snap = await replay.snapshot("BTC")

    funding = _row(shared_data / "funding" / "binance_BTCUSDT_funding_2026-01-01_2026-03-01.csv",
                   "fundingTime", "1770192000007")
    (binance,) = snap.derivatives
    assert binance.timestamp.replace(microsecond=0) == datetime(2026, 2, 4, 8, tzinfo=UTC)
    assert binance.funding_rate == float(funding["fundingRate"])
    assert binance.funding_interval_hours == pytest.approx(8.0, abs=0.01)
    assert snap.whales is not None
    assert snap.whales.as_of.replace(microsecond=0) == datetime(2026, 2, 4, 10, 54, 22, tzinfo=UTC)
    assert snap.whales.previous is None
    assert len(snap.whales.ranked_positions) == 200


async def test_the_whale_book_carries_the_observation_before_it(replay: ReplaySource) -> None:
    snap = await replay.at_time(datetime(2026, 2, 5, tzinfo=UTC)).snapshot("BTC")

    assert snap.whales is not None
    assert snap.whales.as_of.strftime("%Y-%m-%d %H:%M") == "2026-02-04 19:54"
    assert snap.whales.previous is not None
    assert snap.whales.previous.as_of.strftime("%Y-%m-%d %H:%M") == "2026-02-04 14:30"
    assert snap.whales.previous.previous is None
