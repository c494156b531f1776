"""A slow or broken venue never stalls a snapshot: the others arrive, with reasons for the gap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.config import Settings, load_settings
from bot.errors import TemporaryVenueError
from bot.market.ccxt_source import CcxtSource
from bot.market.models import MarketSnapshot, Missing
from tests.fakes.fake_exchange import FakeExchange, fake_exchange, loopback_only

__all__ = ["fake_exchange", "loopback_only"]


def two_venue_settings(fx: FakeExchange, **venues: Any) -> Settings:
    """BTC from binanceusdm (healthy) and bybit (faulty), no whales, no retries by default."""
    base = load_settings()
    base = base.model_copy(update={"whales": base.whales.model_copy(update={"tracked": ()})})
    options: dict[str, Any] = {"retries": 0, "backoff_seconds": 0.0, "timeout_seconds": 3.0}
    options.update(venues)
    return fx.settings(base, derivatives=("binanceusdm", "bybit"), **options)


@asynccontextmanager
async def live(settings: Settings) -> AsyncIterator[CcxtSource]:
    src = CcxtSource(settings)
    await src.start()
    await src.markets_ready(10)
    try:
        yield src
    finally:
        await src.close()


def whole_venue_missing(snap: MarketSnapshot, venue: str) -> Missing:
    (entry,) = [m for m in snap.missing if m.venue == venue and m.metric == "*"]
    return entry


def assert_healthy(snap: MarketSnapshot, fx: FakeExchange, venue: str = "binanceusdm") -> None:
    (got,) = [d for d in snap.derivatives if d.venue == venue]
    assert got.open_interest_usd == pytest.approx(fx.market.expected_oi_usd("BTC", venue))
    assert got.funding_rate_8h == pytest.approx(fx.market.expected_funding_8h("BTC", venue))


@pytest.mark.parametrize(
    ("faulty", "kind", "reason", "temporary"),
    [
        ("bybit", "5xx", "UNREACHABLE", True),
        ("bybit", "429", "RATE_LIMITED", True),
        ("binanceusdm", "429", "RATE_LIMITED", True),
        ("bybit", "malformed", "BAD_RESPONSE", False),
        ("binanceusdm", "garbage", "BAD_RESPONSE", False),
        ("bybit", "garbage", "REJECTED", False),
    ],
)
async def test_a_failing_venue_is_reported_missing_and_the_others_arrive(
    fake_exchange: FakeExchange, faulty: str, kind: str, reason: str, temporary: bool
) -> None:
    healthy = "binanceusdm" if faulty == "bybit" else "bybit"
    async with live(two_venue_settings(fake_exchange)) as src:
        fake_exchange.fault(faulty, kind)
        snap = await src.snapshot("BTC")
    assert_healthy(snap, fake_exchange, healthy)
    assert [d.venue for d in snap.derivatives] == [healthy]
    missing = whole_venue_missing(snap, faulty)
    assert missing.reason == reason
    assert missing.temporary is temporary


async def test_a_venue_that_never_answers_times_out_without_stalling_the_snapshot(
    fake_exchange: FakeExchange,
) -> None:
    async with live(two_venue_settings(fake_exchange, timeout_seconds=1.0)) as src:
        fake_exchange.fault("bybit", "timeout", seconds=30)
        snap = await src.snapshot("BTC")
    assert_healthy(snap, fake_exchange)
    missing = whole_venue_missing(snap, "bybit")
    assert (missing.reason, missing.temporary) == ("TIMEOUT", True)


async def test_a_delisted_market_is_a_permanent_gap(fake_exchange: FakeExchange) -> None:
    fake_exchange.hide("bybit", "BTC")
    async with live(two_venue_settings(fake_exchange)) as src:
        snap = await src.snapshot("BTC")
    assert_healthy(snap, fake_exchange)
    missing = whole_venue_missing(snap, "bybit")
    assert missing.temporary is False
    assert missing.reason == "NOT_LISTED"


async def test_temporary_errors_are_retried_until_the_venue_answers(
    fake_exchange: FakeExchange,
) -> None:
    async with live(two_venue_settings(fake_exchange, retries=3)) as src:
        fake_exchange.fault("bybit", "5xx", times=4)
        snap = await src.snapshot("BTC")
    assert_healthy(snap, fake_exchange, "bybit")
    assert {m.metric for m in snap.missing_for("bybit")} == {"top_trader_long_short_ratio"}


async def test_permanent_errors_are_not_retried(fake_exchange: FakeExchange) -> None:
    async with live(two_venue_settings(fake_exchange, retries=3)) as src:
        fake_exchange.reset_counts()
        fake_exchange.fault("bybit", "garbage", match="open-interest")
        snap = await src.snapshot("BTC")
    requests = fake_exchange.venues["bybit"].requests
    # OI now and OI 24h ago: one request each, no retries of a garbage answer
    assert requests.count("GET /v5/market/open-interest") == 2
    metrics = {m.metric for m in snap.missing_for("bybit")}
    assert {"open_interest_usd", "open_interest_usd_24h_ago"} <= metrics


async def test_last_good_values_are_served_stale_while_the_venue_errs(
    fake_exchange: FakeExchange,
) -> None:
    settings = two_venue_settings(fake_exchange)
    settings = settings.model_copy(
        update={"cache": settings.cache.model_copy(update={"derivatives_ttl": 0.0})}
    )
    async with live(settings) as src:
        first = await src.snapshot("BTC")
        fake_exchange.fault("bybit", "5xx")
        second = await src.snapshot("BTC")
    before, after = (next(d for d in s.derivatives if d.venue == "bybit") for s in (first, second))
    assert after.open_interest_usd == before.open_interest_usd
    assert after.funding_rate_8h == before.funding_rate_8h
    assert before.stale_seconds == {}
    assert {"open_interest_usd", "funding_rate", "volume_24h_usd"} <= set(after.stale_seconds)
    assert all(age >= 0 for age in after.stale_seconds.values())
    assert snap_has_no_gap(second, "bybit")


def snap_has_no_gap(snap: MarketSnapshot, venue: str) -> bool:
    return all(m.metric == "top_trader_long_short_ratio" for m in snap.missing_for(venue))


async def test_a_venue_down_at_start_joins_once_it_recovers(fake_exchange: FakeExchange) -> None:
    fake_exchange.fault("bybit", "5xx")
    async with live(two_venue_settings(fake_exchange)) as src:
        down = await src.snapshot("BTC")
        fake_exchange.clear_faults()
        up = await src.snapshot("BTC")
    assert whole_venue_missing(down, "bybit").temporary is True
    assert [d.venue for d in up.derivatives] == ["binanceusdm", "bybit"]


async def test_a_failing_spot_venue_gives_way_to_the_perpetuals_mark_price_until_it_answers(
    fake_exchange: FakeExchange,
) -> None:
    async with live(two_venue_settings(fake_exchange)) as src:
        fake_exchange.fault("binance", "5xx")
        down = await src.snapshot("BTC")
        fake_exchange.clear_faults()
        snap = await src.snapshot("BTC")
    assert down.price_basis == "mark" and down.price_venues == ("binanceusdm", "bybit")
    assert down.last_price == pytest.approx(fake_exchange.market.coins["BTC"].price, rel=0.01)
    assert {m.reason for m in down.missing_for("binance")} == {"UNREACHABLE"}
    assert snap.price_basis == "spot" and len(snap.series("1h")) > 0
    assert_healthy(snap, fake_exchange)


async def test_no_price_anywhere_is_one_error_naming_the_spot_venue(
    fake_exchange: FakeExchange,
) -> None:
    async with live(two_venue_settings(fake_exchange)) as src:
        for venue in ("binance", "binanceusdm", "bybit"):
            fake_exchange.fault(venue, "5xx")
        with pytest.raises(TemporaryVenueError) as failed:
            await src.snapshot("BTC")
    assert failed.value.venue == "binance" and "no price data" in str(failed.value)
