"""The live source against the fake exchange: every number in USD, as a user would see it.

These tests only read, so one fake and one source serve the whole module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.config import Settings, load_settings
from bot.errors import UnknownSymbolError
from bot.market.ccxt_source import CcxtSource
from bot.market.models import MarketSnapshot, VenueDerivatives
from bot.market.source import MarketSource
from tests.fakes.fake_exchange import FakeExchange, loopback_guard, running_fake_exchange
from tests.fakes.fake_market import TRACKED_WHALE

pytestmark = pytest.mark.asyncio(loop_scope="module")
DERIVATIVE_VENUES = ("binanceusdm", "okx", "bybit", "hyperliquid")


def offline_settings(fx: FakeExchange) -> Settings:
    """The bundled config pointed at the fake, impatient and without retries."""
    return fx.settings(load_settings(), retries=0, backoff_seconds=0.0, timeout_seconds=5.0)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake_exchange() -> AsyncIterator[FakeExchange]:
    with loopback_guard() as violations:
        async with running_fake_exchange() as fx:
            yield fx
    assert violations == []
    assert fx.errors == []


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def source(fake_exchange: FakeExchange) -> AsyncIterator[CcxtSource]:
    src = CcxtSource(offline_settings(fake_exchange))
    await src.start()
    yield src
    await src.close()


def venue(snapshot: MarketSnapshot, name: str) -> VenueDerivatives:
    return next(d for d in snapshot.derivatives if d.venue == name)


@pytest.mark.parametrize("coin", ["BTC", "ETH"])
async def test_open_interest_and_volume_are_in_usd_at_every_venue(
    source: CcxtSource, fake_exchange: FakeExchange, coin: str
) -> None:
    snap = await source.snapshot(coin)
    market = fake_exchange.market
    assert {d.venue for d in snap.derivatives} == set(DERIVATIVE_VENUES)
    for name in DERIVATIVE_VENUES:
        got = venue(snap, name)
        assert got.open_interest_usd == pytest.approx(market.expected_oi_usd(coin, name))
        assert got.volume_24h_usd == pytest.approx(market.expected_volume_24h_usd(coin, name))
        assert got.volume_prev_24h_usd == pytest.approx(
            market.expected_volume_prev_24h_usd(coin, name)
        )
        assert got.mark_price == pytest.approx(market.coins[coin].price)


async def test_okx_contracts_are_converted_with_the_contract_size(
    source: CcxtSource, fake_exchange: FakeExchange
) -> None:
    snap = await source.snapshot("BTC")
    okx = venue(snap, "okx")
    # 2.5M contracts of 0.01 BTC at 62,909.86 USD
    assert okx.open_interest_usd == pytest.approx(2_500_000 * 0.01 * 62_909.86)
    assert okx.volume_24h_usd == pytest.approx(90_000 * 62_909.86)


async def test_open_interest_24h_ago_uses_the_history_at_that_hours_price(
    source: CcxtSource, fake_exchange: FakeExchange
) -> None:
    snap = await source.snapshot("BTC")
    for name in ("binanceusdm", "okx", "bybit"):
        expected = fake_exchange.market.expected_oi_usd_24h_ago("BTC", name)
        assert venue(snap, name).open_interest_usd_24h_ago == pytest.approx(expected)
    hyperliquid = venue(snap, "hyperliquid")
    assert hyperliquid.open_interest_usd_24h_ago is None
    reasons = {m.metric: m.reason for m in snap.missing_for("hyperliquid")}
    assert reasons["open_interest_usd_24h_ago"] == "NO_HISTORY_YET"


async def test_funding_is_normalised_to_eight_hours(source: CcxtSource) -> None:
    snap = await source.snapshot("BTC")
    hyperliquid = venue(snap, "hyperliquid")
    assert hyperliquid.funding_interval_hours == 1.0
    assert hyperliquid.funding_rate == pytest.approx(0.0000125)
    assert hyperliquid.funding_rate_8h == pytest.approx(0.0001)
    okx = venue(snap, "okx")
    assert okx.funding_interval_hours == 8.0
    assert okx.funding_rate_8h == pytest.approx(0.00005)
    assert venue(snap, "bybit").funding_rate_8h == pytest.approx(-0.00002)


async def test_binance_symbols_off_the_eight_hour_cycle_use_their_own_interval(
    source: CcxtSource, fake_exchange: FakeExchange
) -> None:
    sol = venue(await source.snapshot("SOL"), "binanceusdm")
    assert sol.funding_interval_hours == 4.0
    assert sol.funding_rate_8h == pytest.approx(2 * sol.funding_rate)
    assert sol.funding_rate_8h == pytest.approx(fake_exchange.market.expected_funding_8h(
        "SOL", "binanceusdm"
    ))
    assert venue(await source.snapshot("BTC"), "binanceusdm").funding_interval_hours == 8.0


async def test_long_short_ratios_are_the_newest_five_minute_points(source: CcxtSource) -> None:
    snap = await source.snapshot("BTC")
    assert venue(snap, "binanceusdm").long_short_ratio == pytest.approx(1.8)
    assert venue(snap, "binanceusdm").top_trader_long_short_ratio == pytest.approx(1.35)
    assert venue(snap, "okx").long_short_ratio == pytest.approx(1.2)
    assert venue(snap, "okx").top_trader_long_short_ratio == pytest.approx(0.95)
    assert venue(snap, "bybit").long_short_ratio == pytest.approx(2.1, rel=1e-4)


async def test_capabilities_a_venue_lacks_are_missing_not_errors(source: CcxtSource) -> None:
    snap = await source.snapshot("BTC")
    hyperliquid = {m.metric: m for m in snap.missing_for("hyperliquid")}
    assert hyperliquid["long_short_ratio"].temporary is False
    assert hyperliquid["large_trades"].temporary is False
    assert {m.metric for m in snap.missing_for("bybit")} == {"top_trader_long_short_ratio"}
    assert snap.missing_for("binanceusdm") == ()
    assert snap.missing_for("okx") == ()


async def test_spot_candles_and_ticker_come_from_the_spot_venue(
    source: CcxtSource, fake_exchange: FakeExchange
) -> None:
    snap = await source.snapshot("BTC")
    assert snap.source == "live"
    assert snap.ticker is not None and snap.ticker.last == pytest.approx(62_909.86)
    assert snap.last_price == pytest.approx(62_909.86)
    for tf in ("1h", "4h", "1d"):
        series = snap.series(tf)
        assert len(series) == 300
        assert series.forming
        assert float(series.close[-1]) == pytest.approx(62_909.86)
        assert (series.open_time[1:] - series.open_time[:-1] == series.interval_ms).all()
    assert snap.venues_requested == DERIVATIVE_VENUES


async def test_tracked_whale_positions_and_transfers(source: CcxtSource) -> None:
    snap = await source.snapshot("BTC")
    assert snap.whales is not None
    (trader,) = snap.whales.traders
    assert trader.address == TRACKED_WHALE
    btc = next(p for p in trader.positions if p.coin == "BTC")
    assert (btc.side, btc.size, btc.entry_price, btc.leverage) == ("short", 150.0, 70_120.5, 20)
    assert btc.notional_usd == pytest.approx(150 * 62_909.86)
    assert btc.liquidation_price == pytest.approx(88_400.0)
    eth = next(p for p in trader.positions if p.coin == "ETH")
    assert (eth.side, eth.size, eth.liquidation_price) == ("long", 4_200.0, None)
    amounts = [d.amount_usd for d in snap.whales.deposits]
    assert amounts == [pytest.approx(2_703_997.45), pytest.approx(-500_000.0)]


async def test_large_trades_keep_only_notionals_over_the_threshold(
    source: CcxtSource, fake_exchange: FakeExchange
) -> None:
    snap = await source.snapshot("BTC")
    assert snap.whales is not None
    got = [(t.venue, t.side, t.amount, round(t.notional_usd)) for t in snap.whales.large_trades]
    expected = fake_exchange.market.expected_large_trades("BTC", 1_000_000)
    assert got == [(t.venue, t.side, t.amount, round(t.amount * t.price)) for t in expected]
    assert [g[0] for g in got] == ["binanceusdm", "okx"]


async def test_the_live_source_is_a_market_source(source: CcxtSource) -> None:
    assert isinstance(source, MarketSource)


async def test_a_coin_no_venue_lists_raises_unknown_symbol_naming_the_venue(
    source: CcxtSource,
) -> None:
    with pytest.raises(UnknownSymbolError) as caught:
        await source.snapshot("PEPE")
    assert caught.value.venue == "binance" and caught.value.suggestion is None


async def test_an_unconfigured_coin_the_venues_list_has_price_and_every_perp(
    source: CcxtSource, fake_exchange: FakeExchange
) -> None:
    snap = await source.snapshot("doge")
    assert snap.symbol == "DOGE"
    assert snap.last_price == pytest.approx(fake_exchange.market.coins["DOGE"].price)
    assert {d.venue for d in snap.derivatives} == set(DERIVATIVE_VENUES)
    got = venue(snap, "okx")  # contracts of 1,000 DOGE, in USD
    assert got.open_interest_usd == pytest.approx(
        fake_exchange.market.expected_oi_usd("DOGE", "okx"))


async def test_the_listing_holds_every_dollar_quoted_spot_base(source: CcxtSource) -> None:
    listing = source.listing()
    assert listing is not None and listing.venue == "binance"
    assert {"BTC", "ETH", "SOL", "DOGE", "XRP"} <= listing.bases
    assert "PEPE" not in listing.bases


async def test_aliases_resolve_to_the_configured_symbol(source: CcxtSource) -> None:
    snap = await source.snapshot("bitcoin")
    assert snap.symbol == "BTC"


async def test_live_posts_weigh_the_odds_on_a_thousand_closed_daily_bars(
    source: CcxtSource,
) -> None:
    from bot.analysis import analyse

    snap = await source.snapshot("BTC")

    history = snap.daily_history
    assert history is not None
    assert len(history) == 999  # 1,000 fetched, the forming day left out
    assert not history.forming
    assert int(history.open_time[-1]) + history.interval_ms <= snap.as_of.timestamp() * 1000
    odds = analyse(snap, load_settings()).odds
    assert odds is not None
    assert odds.horizons[0].base_samples > 900  # far more than the 300 bars of the 1d chart
