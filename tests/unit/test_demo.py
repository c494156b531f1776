"""The demo market: deterministic, no look-ahead, and each scripted episode visible."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
import talib

from bot.config import Settings, settings_from_dict
from bot.errors import BadArgumentError, OutOfRangeError, UnknownSymbolError
from bot.market import demo_script
from bot.market.demo import DEMO_END, DEMO_EPISODES, DEMO_FIRST_AT, DemoSource
from bot.market.models import CandleSeries, MarketSnapshot, VenueDerivatives, WhaleBook
from bot.market.source import MarketSource

SYMBOLS = ("BTC", "ETH", "SOL")
HOUR = timedelta(hours=1)


def snap(settings: Settings, symbol: str, at: datetime | None = None) -> MarketSnapshot:
    return DemoSource(settings, at).snapshot_now(symbol)


def venue(snapshot: MarketSnapshot, name: str) -> VenueDerivatives:
    return next(d for d in snapshot.derivatives if d.venue == name)


def same_series(a: CandleSeries, b: CandleSeries) -> bool:
    columns = ("open_time", "open", "high", "low", "close", "volume")
    return a.forming == b.forming and all(
        np.array_equal(getattr(a, c), getattr(b, c)) for c in columns
    )


def last_hours(s: MarketSnapshot, hours: int) -> CandleSeries:
    return s.series("1h").tail(hours)


async def test_demo_source_is_a_market_source_marked_as_demo(settings: Settings) -> None:
    source = DemoSource(settings)
    assert isinstance(source, MarketSource)
    snapshot = await source.snapshot("BTC")
    await source.close()
    assert snapshot.source == "demo"
    assert snapshot.as_of == DEMO_END
    assert snapshot.whales is not None and snapshot.whales.source == "demo"


def test_two_generations_give_identical_snapshots(settings: Settings) -> None:
    first = snap(settings, "ETH", DEMO_EPISODES["squeeze"])
    demo_script.demo_series.cache_clear()
    demo_script._common_shocks.cache_clear()
    second = snap(settings, "ETH", DEMO_EPISODES["squeeze"])
    assert all(same_series(first.candles[tf], second.candles[tf]) for tf in first.candles)
    assert first.ticker == second.ticker
    assert first.derivatives == second.derivatives
    assert first.whales == second.whales


@pytest.mark.parametrize("at", [DEMO_FIRST_AT, DEMO_EPISODES["range"], DEMO_END])
def test_every_timeframe_has_at_least_250_bars(settings: Settings, at: datetime) -> None:
    snapshot = snap(settings, "SOL", at)
    assert {tf: len(c) >= 250 for tf, c in snapshot.candles.items()} == {
        "1h": True,
        "4h": True,
        "1d": True,
    }


def test_nothing_after_as_of_is_visible(settings: Settings) -> None:
    at = datetime(2026, 2, 3, 14, 30, tzinfo=UTC)
    now = snap(settings, "BTC", at)
    later = snap(settings, "BTC", at + timedelta(hours=50))
    hourly = now.series("1h")
    assert hourly.time_at(-1) + HOUR <= at
    assert all(now.series(tf).time_at(-1) <= at for tf in ("4h", "1d"))
    # Bars closed at `at` are unchanged when the market is seen 50 hours later.
    later_hourly = later.series("1h")
    overlap = len(hourly) - 50
    assert same_series(hourly.tail(overlap), later_hourly.slice(0, overlap))
    daily, later_daily = now.series("1d"), later.series("1d")
    closed = daily.slice(len(daily) - 100, len(daily) - 1)
    start = int(np.searchsorted(later_daily.open_time, closed.open_time[0]))
    assert same_series(closed, later_daily.slice(start, start + len(closed)))
    assert now.ticker is not None and now.ticker.last == hourly.close[-1]


@pytest.mark.parametrize(
    ("at", "timeframe", "hours_in_bar"),
    [
        (DEMO_END, "1d", 12),
        (DEMO_END + timedelta(hours=-10), "4h", 2),
        (datetime(2026, 1, 5, 23, 30, tzinfo=UTC), "1d", 23),
    ],
)
def test_forming_candle_is_the_aggregate_of_its_closed_hourly_bars(
    settings: Settings, at: datetime, timeframe: str, hours_in_bar: int
) -> None:
    snapshot = snap(settings, "ETH", at)
    series = snapshot.series(timeframe)
    hourly = last_hours(snapshot, hours_in_bar)
    assert series.forming
    assert series.open_time[-1] == hourly.open_time[0]
    assert series.open[-1] == hourly.open[0]
    assert series.high[-1] == hourly.high.max()
    assert series.low[-1] == hourly.low.min()
    assert series.close[-1] == hourly.close[-1]
    assert series.volume[-1] == pytest.approx(hourly.volume.sum())


def test_a_bar_that_just_closed_is_complete_not_forming(settings: Settings) -> None:
    snapshot = snap(settings, "BTC", DEMO_END)  # 12:00: the 08:00-12:00 4h bar just closed
    four_hour = snapshot.series("4h")
    hourly = last_hours(snapshot, 4)
    assert not four_hour.forming
    assert four_hour.time_at(-1) == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert four_hour.high[-1] == hourly.high.max()
    assert snapshot.series("1h").forming is False


def test_daily_bars_are_the_aggregate_of_hourly_bars(settings: Settings) -> None:
    snapshot = snap(settings, "SOL")
    daily, hourly = snapshot.series("1d"), snapshot.series("1h")
    day_before = daily.slice(len(daily) - 2, len(daily) - 1)
    bars = hourly.slice(len(hourly) - 36, len(hourly) - 12)  # the 24 bars of 2026-02-28
    assert day_before.time_at(0) == datetime(2026, 2, 28, tzinfo=UTC) == bars.time_at(0)
    assert day_before.high[0] == bars.high.max() and day_before.low[0] == bars.low.min()
    assert day_before.open[0] == bars.open[0] and day_before.close[0] == bars.close[-1]


def test_ticker_rolls_24h_figures_from_hourly_bars(settings: Settings) -> None:
    snapshot = snap(settings, "BTC")
    day = last_hours(snapshot, 24)
    ticker = snapshot.ticker
    assert ticker is not None and ticker.symbol == "BTC/USDT"
    assert (ticker.high_24h, ticker.low_24h, ticker.open_24h) == (
        day.high.max(),
        day.low.min(),
        day.open[0],
    )
    assert ticker.volume_24h_quote == pytest.approx(float((day.volume * day.close).sum()))
    assert ticker.timestamp == DEMO_END


@pytest.mark.parametrize(("symbol", "low", "high"), [
    ("BTC", 60_000, 120_000), ("ETH", 2_000, 4_600), ("SOL", 80, 280),
])
def test_prices_stay_at_realistic_levels(
    settings: Settings, symbol: str, low: float, high: float
) -> None:
    daily = snap(settings, symbol).series("1d")
    assert low < daily.low.min() and daily.high.max() < high


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_crash_rebound_drops_8pct_in_a_day_then_recovers_a_third(
    settings: Settings, symbol: str
) -> None:
    day = last_hours(snap(settings, symbol, DEMO_EPISODES["crash_rebound"]), 24)
    trough_at = int(np.argmin(day.low))
    peak = float(day.high[: trough_at + 1].max())
    trough = float(day.low[trough_at])
    drawdown = (peak - trough) / peak
    rebound = (float(day.close[-1]) - trough) / (peak - trough)
    assert 0.08 <= drawdown <= 0.15
    assert 0.3 <= rebound <= 0.6
    assert 2 <= 23 - trough_at <= 12  # the low came a few hours before as_of


def test_crash_shows_in_derivatives(settings: Settings) -> None:
    snapshot = snap(settings, "BTC", DEMO_EPISODES["crash_rebound"])
    ratios = {d.venue: d.long_short_ratio or math.nan for d in snapshot.derivatives}
    assert ratios["binanceusdm"] > 1.7 and ratios["okx"] > 1.7
    assert ratios["bybit"] < 1 and ratios["hyperliquid"] < 1
    for d in snapshot.derivatives:
        assert d.open_interest_usd is not None and d.open_interest_usd_24h_ago is not None
        assert d.open_interest_usd < 0.9 * d.open_interest_usd_24h_ago
        assert d.volume_24h_usd is not None and d.volume_prev_24h_usd is not None
        assert d.volume_24h_usd > 2 * d.volume_prev_24h_usd


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_squeeze_has_negative_funding_short_crowding_and_a_rip(
    settings: Settings, symbol: str
) -> None:
    snapshot = snap(settings, symbol, DEMO_EPISODES["squeeze"])
    day = last_hours(snapshot, 24)
    assert day.close[-1] / day.open[0] > 1.05
    funding = [d.funding_rate_8h or 0.0 for d in snapshot.derivatives]
    assert float(np.mean(funding)) < -0.0002
    assert all((d.long_short_ratio or 9.0) < 1.0 for d in snapshot.derivatives)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_range_keeps_three_weeks_inside_an_8pct_band(settings: Settings, symbol: str) -> None:
    weeks = last_hours(snap(settings, symbol, DEMO_EPISODES["range"]), 21 * 24)
    assert weeks.high.max() / weeks.low.min() - 1 < 0.08


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_range_has_no_trend_on_4h_and_daily_adx(settings: Settings, symbol: str) -> None:
    snapshot = snap(settings, symbol, DEMO_EPISODES["range"])
    for tf in ("4h", "1d"):
        c = snapshot.series(tf)
        assert talib.ADX(c.high, c.low, c.close, 14)[-1] < 20


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_breakout_closes_above_30_day_high_on_doubled_volume(
    settings: Settings, symbol: str
) -> None:
    hourly = snap(settings, symbol, DEMO_EPISODES["breakout"]).series("1h")
    month = hourly.slice(len(hourly) - 31 * 24, len(hourly) - 24)
    quote = hourly.volume * hourly.close
    last_day = float(quote[-24:].sum())
    month_average = float(quote[-31 * 24 : -24].sum()) / 30
    assert hourly.close[-1] > 1.03 * month.high.max()
    assert last_day >= 2 * month_average


def test_hyperliquid_funding_is_hourly_and_normalised_to_8h(settings: Settings) -> None:
    snapshot = snap(settings, "SOL", DEMO_EPISODES["squeeze"])
    hl = venue(snapshot, "hyperliquid")
    assert hl.funding_interval_hours == 1 and hl.market_symbol == "SOL/USDC:USDC"
    assert hl.funding_rate is not None
    assert hl.funding_rate_8h == pytest.approx(hl.funding_rate * 8)
    binance = venue(snapshot, "binanceusdm")
    assert binance.funding_interval_hours == 8 and binance.funding_rate_8h == binance.funding_rate


def test_derivatives_are_stamped_at_as_of_with_mark_near_last(settings: Settings) -> None:
    snapshot = snap(settings, "ETH", DEMO_EPISODES["breakout"])
    assert [d.venue for d in snapshot.derivatives] == list(settings.venues.derivatives)
    last = snapshot.last_price
    assert last is not None
    for d in snapshot.derivatives:
        assert d.timestamp == snapshot.as_of
        assert d.mark_price == pytest.approx(last, rel=0.001)


def test_venue_without_configured_market_is_reported_missing(settings: Settings) -> None:
    raw = settings.model_dump(exclude={"config_dir"})
    raw["symbols"][0]["markets"].pop("hyperliquid")
    trimmed = settings_from_dict(raw)
    snapshot = snap(trimmed, "BTC")
    assert "hyperliquid" not in [d.venue for d in snapshot.derivatives]
    assert [m.venue for m in snapshot.missing] == ["hyperliquid"]


def positions(book: WhaleBook) -> dict[tuple[str, str], tuple[str, float]]:
    return {
        (str(t.label), p.coin): (p.side, p.notional_usd) for t in book.traders for p in t.positions
    }


def test_whale_book_shows_opened_closed_increased_and_flipped(settings: Settings) -> None:
    book = snap(settings, "BTC").whales
    assert book is not None and book.previous is not None
    now, before = positions(book), positions(book.previous)
    assert book.previous.as_of == DEMO_END - timedelta(hours=6)
    assert len(book.traders) == 8
    assert ("Demo whale C", "SOL") in now and ("Demo whale C", "SOL") not in before
    assert ("Demo whale D", "ETH") in before and ("Demo whale D", "ETH") not in now
    assert now[("Demo whale A", "BTC")][1] > 1.4 * before[("Demo whale A", "BTC")][1]
    assert (before[("Demo whale E", "ETH")][0], now[("Demo whale E", "ETH")][0]) == (
        "short",
        "long",
    )


def test_whale_positions_are_consistent_with_the_mark_price(settings: Settings) -> None:
    book = snap(settings, "ETH").whales
    assert book is not None
    marks = {s: snap(settings, s).last_price for s in SYMBOLS}
    for p in (p for t in book.traders for p in t.positions):
        mark = marks[p.coin]
        assert mark is not None and p.entry_price is not None and p.liquidation_price is not None
        sign = 1 if p.side == "long" else -1
        assert p.notional_usd == pytest.approx(p.size * mark)
        assert p.unrealized_pnl == pytest.approx(sign * (mark - p.entry_price) * p.size)
        assert (p.liquidation_price < p.entry_price) == (p.side == "long")
    ranked = [p.notional_usd for p in book.ranked_positions]
    assert ranked == sorted(ranked, reverse=True) and ranked[0] > 70e6


def test_whale_trades_and_deposits_are_recent_and_large(settings: Settings) -> None:
    book = snap(settings, "SOL").whales
    assert book is not None
    assert len(book.deposits) == 2 and len(book.large_trades) >= 2
    for trade in book.large_trades:
        assert trade.notional_usd >= settings.whales.large_trade_usd
        assert DEMO_END - timedelta(hours=6) <= trade.timestamp < DEMO_END
        assert trade.notional_usd == pytest.approx(trade.price * trade.amount)


def test_aliases_resolve_and_unknown_symbols_get_a_suggestion(settings: Settings) -> None:
    assert snap(settings, "bitcoin").symbol == "BTC"
    with pytest.raises(UnknownSymbolError) as caught:
        snap(settings, "solanna")
    assert caught.value.suggestion == "SOL"
    with pytest.raises(UnknownSymbolError) as nothing_close:
        snap(settings, "QQQQQQ")
    assert nothing_close.value.suggestion is None


def test_times_outside_the_demo_timeline_are_refused(settings: Settings) -> None:
    with pytest.raises(OutOfRangeError):
        DemoSource(settings, DEMO_END + HOUR)
    with pytest.raises(OutOfRangeError):
        DemoSource(settings).at_time(DEMO_FIRST_AT - HOUR)
    with pytest.raises(BadArgumentError):
        DemoSource(settings, datetime(2026, 1, 1))


def test_a_time_in_another_zone_is_read_as_the_same_utc_moment(settings: Settings) -> None:
    berlin_evening = DEMO_END.astimezone(timezone(timedelta(hours=1)))
    source = DemoSource(settings, berlin_evening)
    assert source.as_of == DEMO_END and source.as_of.tzinfo == UTC


def test_a_configured_symbol_without_a_demo_profile_still_trades(settings: Settings) -> None:
    raw = settings.model_dump(exclude={"config_dir"})
    doge = {"name": "DOGE", "spot": "DOGE/USDT", "markets": {"okx": "DOGE/USDT:USDT"}}
    raw["symbols"] = [*raw["symbols"], doge]
    snapshot = snap(settings_from_dict(raw), "doge")
    assert snapshot.symbol == "DOGE" and snapshot.last_price is not None
    assert len(snapshot.series("1d")) >= 250
    assert [d.venue for d in snapshot.derivatives] == ["okx"]
    assert {m.venue for m in snapshot.missing} == {"binanceusdm", "bybit", "hyperliquid"}


def test_episode_moments_lie_inside_the_timeline_with_crash_last() -> None:
    assert set(DEMO_EPISODES) == {"crash_rebound", "breakout", "range", "squeeze"}
    assert DEMO_EPISODES["crash_rebound"] == DEMO_END == max(DEMO_EPISODES.values())
    assert all(DEMO_FIRST_AT <= at <= DEMO_END for at in DEMO_EPISODES.values())


def test_a_real_coin_the_demo_does_not_simulate_is_no_data_naming_what_it_does(
    settings: Settings,
) -> None:
    from bot.errors import MissingReason, NoDataError

    with pytest.raises(NoDataError) as caught:
        snap(settings, "doge")
    assert (caught.value.symbol, caught.value.reason) == ("DOGE", MissingReason.NOT_SIMULATED)
    assert caught.value.offered == ("BTC", "ETH", "SOL")
