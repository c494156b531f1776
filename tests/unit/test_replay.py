"""ReplaySource on small synthetic folders: prices, forming candles, no look-ahead, errors."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import OutOfRangeError, ReplayDataError, UnknownSymbolError
from bot.market.models import MarketSnapshot
from bot.market.replay import ReplaySource
from bot.market.source import MarketSource
from tests.fakes.replay_data import (
    HOUR_MS,
    START,
    Bar,
    aggregate,
    hourly_bars,
    write_klines,
    write_market,
)

HOUR = timedelta(hours=1)


@pytest.fixture
def market(tmp_path: Path) -> tuple[Path, list[Bar]]:
    bars = write_market(tmp_path / "data")
    return tmp_path / "data", bars


def _replay(directory: Path, at: datetime | None, settings: Settings) -> ReplaySource:
    return ReplaySource(directory, at, settings)


def _view(snap: MarketSnapshot) -> dict[str, object]:
    """What a reader of the snapshot sees, as plain values."""
    candles = {
        tf: (s.forming, s.open_time.tolist(), s.open.tolist(), s.high.tolist(),
             s.low.tolist(), s.close.tolist(), s.volume.tolist())
        for tf, s in snap.candles.items()
    }
    return {"as_of": snap.as_of, "ticker": snap.ticker, "candles": candles}


async def test_replay_source_is_a_market_source(market, settings) -> None:
    source = _replay(market[0], None, settings)
    assert isinstance(source, MarketSource)
    snap = await source.snapshot("BTC")
    await source.close()
    assert snap.source == "replay"
    assert snap.symbol == "BTC"


async def test_last_price_is_the_close_of_the_newest_closed_hour(market, settings) -> None:
    directory, bars = market
    snap = await _replay(directory, START + 30 * HOUR + timedelta(minutes=30), settings).snapshot(
        "bitcoin"
    )

    assert snap.ticker is not None
    assert snap.ticker.last == bars[29].close
    assert snap.ticker.timestamp == START + 30 * HOUR
    assert snap.last_price == bars[29].close


async def test_24h_figures_cover_the_hours_closed_in_the_last_day(market, settings) -> None:
    directory, bars = market
    snap = await _replay(directory, START + 48 * HOUR, settings).snapshot("BTC")

    day = bars[24:48]
    assert snap.ticker is not None
    assert snap.ticker.high_24h == max(b.high for b in day)
    assert snap.ticker.low_24h == min(b.low for b in day)
    assert snap.ticker.open_24h == day[0].open
    assert snap.ticker.volume_24h_quote == pytest.approx(sum(b.quote_volume for b in day))


async def test_forming_candles_are_the_aggregate_of_closed_hours(market, settings) -> None:
    directory, bars = market
    at = START + timedelta(days=5, hours=6)
    snap = await _replay(directory, at, settings).snapshot("BTC")

    for tf, first_hour in (("4h", 124), ("1d", 120)):
        series = snap.candles[tf]
        expected = aggregate(bars[first_hour:126], 126 - first_hour)[0]
        assert series.forming
        assert series.time_at(-1) == START + first_hour * HOUR
        assert (series.open[-1], series.high[-1], series.low[-1], series.close[-1]) == (
            expected.open, expected.high, expected.low, expected.close,
        )
        assert series.volume[-1] == pytest.approx(expected.volume)
    assert not snap.candles["1h"].forming
    assert snap.candles["1h"].time_at(-1) == at - HOUR


async def test_a_bar_that_just_closed_leaves_no_forming_candle(market, settings) -> None:
    directory, bars = market
    snap = await _replay(directory, START + timedelta(days=3, hours=8), settings).snapshot("BTC")

    four = snap.candles["4h"]
    assert not four.forming
    assert four.time_at(-1) == START + timedelta(days=3, hours=4)
    assert four.close[-1] == bars[79].close
    assert snap.candles["1d"].forming


async def test_the_daily_candle_forms_from_4h_bars_when_hours_are_missing(
    tmp_path: Path, settings
) -> None:
    bars = hourly_bars(24 * 10)
    write_klines(tmp_path / "BTCUSDT_4h_x.csv", aggregate(bars, 4))
    write_klines(tmp_path / "BTCUSDT_1d_x.csv", aggregate(bars, 24))
    snap = await _replay(tmp_path, START + timedelta(days=4, hours=9), settings).snapshot("BTC")

    daily = snap.candles["1d"]
    expected = aggregate(bars[96:104], 8)[0]
    assert daily.forming
    assert (daily.open[-1], daily.high[-1], daily.low[-1], daily.close[-1]) == (
        expected.open, expected.high, expected.low, expected.close,
    )
    assert snap.ticker is not None
    assert snap.ticker.last == bars[103].close


async def test_appending_future_rows_does_not_change_a_snapshot(
    tmp_path: Path, settings
) -> None:
    past, future = tmp_path / "past", tmp_path / "future"
    write_market(past, hours=24 * 12)
    write_market(future, hours=24 * 20)
    write_klines(future / "more" / "BTCUSDT-1h-extra.csv", hourly_bars(24 * 25)[24 * 20 :])
    at = START + timedelta(days=11, hours=13, minutes=20)

    seen_then = await _replay(past, at, settings).snapshot("BTC")
    seen_later = await _replay(future, at, settings).snapshot("BTC")

    assert _view(seen_then) == _view(seen_later)


async def test_history_is_trimmed_to_the_configured_warm_up(tmp_path: Path, settings) -> None:
    bars = write_market(tmp_path, hours=24 * 20)
    snap = await _replay(tmp_path, None, settings).snapshot("BTC")

    hourly = snap.candles["1h"]
    assert len(hourly) == settings.timeframes.bars
    assert hourly.close[-1] == bars[-1].close
    assert len(snap.candles["4h"]) == 24 * 20 // 4
    daily = snap.candles["1d"]
    assert not daily.forming
    assert daily.time_at(-1) == START + timedelta(days=19)
    assert daily.close[-1] == bars[-1].close


async def test_no_time_means_the_end_of_the_data(market, settings) -> None:
    directory, bars = market
    source = _replay(directory, None, settings)
    snap = await source.snapshot("BTC")

    assert snap.as_of == START + len(bars) * HOUR
    assert source.covered_range("BTC") == (START + HOUR, START + len(bars) * HOUR)


async def test_at_time_sees_the_same_parsed_data_at_another_time(market, settings) -> None:
    directory, _ = market
    source = _replay(directory, None, settings)
    at = START + timedelta(days=7, hours=3)
    expected = _view(await _replay(directory, at, settings).snapshot("BTC"))

    shutil.rmtree(directory)
    moved = await source.at_time(at).snapshot("BTC")

    assert _view(moved) == expected


@pytest.mark.parametrize("offset", [timedelta(minutes=-1), timedelta(days=30)])
async def test_a_time_outside_the_data_names_the_covered_range(
    market, settings, offset
) -> None:
    directory, _ = market
    at = (START + HOUR + offset) if offset < timedelta(0) else START + offset
    with pytest.raises(OutOfRangeError, match=r"outside the replay data for BTC: 2026-01-01T01:00"):
        await _replay(directory, at, settings).snapshot("BTC")


def test_a_missing_folder_is_reported(tmp_path: Path, settings) -> None:
    with pytest.raises(ReplayDataError, match=r"replay folder not found: .*nowhere"):
        _replay(tmp_path / "nowhere", None, settings)


async def test_an_unknown_symbol_is_reported_with_a_suggestion(market, settings) -> None:
    with pytest.raises(UnknownSymbolError) as caught:
        await _replay(market[0], None, settings).snapshot("bitcoinn")
    assert caught.value.symbol == "bitcoinn"
    assert caught.value.suggestion == "BTC"  # the configured symbol, as the demo and chat suggest


async def test_a_configured_symbol_without_files_is_reported(market, settings) -> None:
    with pytest.raises(ReplayDataError, match="no kline CSVs for ETHUSDT"):
        await _replay(market[0], None, settings).snapshot("ETH")


async def test_funding_comes_from_the_latest_event_at_or_before_the_time(
    market, settings
) -> None:
    directory, _ = market
    eight = 8 * HOUR_MS
    start_ms = int(START.timestamp() * 1000)
    rows = [f"{start_ms + i * eight},{0.0001 * (i + 1):.6f},{100 + i}" for i in range(30)]
    (directory / "binance_BTCUSDT_funding_2026.csv").write_text(
        "fundingTime,fundingRate,markPrice\n" + "\n".join(rows) + "\n"
    )
    snap = await _replay(directory, START + timedelta(days=2, hours=7), settings).snapshot("BTC")

    (binance,) = snap.derivatives
    assert binance.venue == "binanceusdm"
    assert binance.market_symbol == "BTC/USDT:USDT"
    assert binance.timestamp == START + timedelta(days=2)
    assert binance.funding_rate == pytest.approx(0.0007)
    assert binance.funding_rate_8h == pytest.approx(0.0007)
    assert binance.funding_interval_hours == pytest.approx(8.0)
    assert binance.open_interest_usd is None
    reasons = {(m.venue, m.metric): m.reason for m in snap.missing}
    assert reasons[("binanceusdm", "open_interest_usd")] == "NOT_IN_REPLAY"
    assert reasons[("okx", "*")] == "NOT_IN_REPLAY"
    assert snap.venues_requested == settings.venues.derivatives


async def test_every_venue_is_missing_without_side_data(market, settings) -> None:
    snap = await _replay(market[0], None, settings).snapshot("BTC")

    assert snap.derivatives == ()
    assert {m.venue for m in snap.missing if m.metric == "*"} == set(settings.venues.derivatives)
    assert snap.whales is None
    assert any(m.metric == "whales" for m in snap.missing)
