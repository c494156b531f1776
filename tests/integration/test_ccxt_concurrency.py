"""Thousands of chats asking at once cost the venues one request set, not thousands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import load_settings
from bot.market.ccxt_source import CcxtSource
from tests.fakes.fake_exchange import FakeExchange, fake_exchange, loopback_only

__all__ = ["fake_exchange", "loopback_only"]


async def one_cold_snapshot_requests(fx: FakeExchange) -> int:
    src = CcxtSource(fx.settings(load_settings(), retries=0))
    await src.start()
    await src.markets_ready(10)
    fx.reset_counts()
    await src.snapshot("BTC")
    count = fx.request_count()
    await src.close()
    return count


async def test_five_hundred_concurrent_snapshots_share_one_request_set(
    fake_exchange: FakeExchange,
) -> None:
    one_set = await one_cold_snapshot_requests(fake_exchange)
    src = CcxtSource(fake_exchange.settings(load_settings(), retries=0))
    await src.start()
    await src.markets_ready(10)
    fake_exchange.reset_counts()
    snaps = await asyncio.gather(*(src.snapshot("BTC") for _ in range(500)))
    await src.close()
    assert fake_exchange.request_count() == one_set
    assert len({id(s) for s in snaps}) == 1
    assert len(snaps[0].derivatives) == 4


async def test_a_warm_snapshot_is_served_from_the_cache(fake_exchange: FakeExchange) -> None:
    src = CcxtSource(fake_exchange.settings(load_settings(), retries=0))
    await src.start()
    first = await src.snapshot("ETH")
    fake_exchange.reset_counts()
    second = await src.snapshot("eth")
    await src.close()
    assert fake_exchange.request_count() == 0
    assert second is first  # nothing expired: the snapshot already built, as it was


async def test_markets_are_loaded_once_per_venue(fake_exchange: FakeExchange) -> None:
    src = CcxtSource(fake_exchange.settings(load_settings(), retries=0))
    await src.start()
    await asyncio.gather(src.snapshot("BTC"), src.snapshot("ETH"), src.snapshot("SOL"))
    await src.close()
    listings = {
        "binance": "GET /api/v3/exchangeInfo",
        "binanceusdm": "GET /fapi/v1/exchangeInfo",
        "okx": "GET /api/v5/public/instruments",
        "hyperliquid": "spotMeta",
    }
    for venue, route in listings.items():
        assert fake_exchange.venues[venue].requests.count(route) == 1
    # bybit asks for live and pre-launch instruments: one pair, once
    assert fake_exchange.venues["bybit"].requests.count("GET /v5/market/instruments-info") == 2


async def test_without_an_oi_history_endpoint_the_bot_keeps_its_own(
    fake_exchange: FakeExchange,
) -> None:
    settings = fake_exchange.settings(load_settings(), retries=0, derivatives=("hyperliquid",))
    settings = settings.model_copy(
        update={"cache": settings.cache.model_copy(update={"derivatives_ttl": 0.0})}
    )
    now = [datetime(2026, 2, 4, 12, 0, tzinfo=UTC)]
    src = CcxtSource(settings, clock=lambda: now[0])
    first = await src.snapshot("BTC")
    book = fake_exchange.market.coins["BTC"]
    book.perps["hyperliquid"].oi_coins = 31_000.0
    now[0] += timedelta(hours=24, minutes=5)
    second = await src.snapshot("BTC")
    await src.close()
    (before,) = first.derivatives
    (after,) = second.derivatives
    assert before.open_interest_usd_24h_ago is None
    assert after.open_interest_usd_24h_ago == before.open_interest_usd
    assert after.open_interest_usd == pytest.approx(31_000 * book.price)
