"""Liquidation streams through the real ccxt.pro classes against the local websocket fake.

Market lists come from the fake exchange (REST), liquidations from the fake websockets in
each venue's native frames; a dropped or refused stream reconnects with backoff and its
state is what ``/status`` shows.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.config import Settings
from bot.market import liquidations_stream
from bot.market.liquidations import Liquidation, StreamHealth, watched_markets
from bot.market.liquidations_stream import Backoff, VenueStream
from tests.fakes.fake_exchange import FakeExchange, fake_exchange, loopback_only
from tests.fakes.fake_liquidation_ws import FakeLiquidationWs, running_liquidation_ws

__all__ = ["fake_exchange", "loopback_only"]
AT = datetime(2026, 2, 5, 14, 30, 12, 250_000, tzinfo=UTC)


@pytest.fixture
async def ws() -> AsyncIterator[FakeLiquidationWs]:
    """The running websocket fake; the test fails if a client sent it anything unexpected."""
    async with running_liquidation_ws() as fake:
        yield fake
    assert fake.errors == [], f"unexpected client frames: {fake.errors}"


def _settings(settings: Settings, fx: FakeExchange, ws: FakeLiquidationWs) -> Settings:
    return ws.settings(fx.settings(settings), backoff_seconds=0.05, backoff_max_seconds=0.2)


class Streams:
    """Started venue streams, what they delivered and their health."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.health = StreamHealth()
        self.got: list[Liquidation] = []
        self.arrived = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []

    async def deliver(self, batch: list[Liquidation]) -> None:
        self.got.extend(batch)
        self.arrived.set()

    def start(self, venue: str) -> None:
        stream = VenueStream(venue, self.settings, watched_markets(self.settings, venue),
                             self.health, self.deliver)
        self.tasks.append(asyncio.create_task(stream.run()))

    async def wait_for(self, count: int) -> list[Liquidation]:
        async with asyncio.timeout(10):
            while len(self.got) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.got

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


@asynccontextmanager
async def streaming(settings: Settings, venue: str) -> AsyncIterator[Streams]:
    """``venue``'s stream running for the block."""
    streams = Streams(settings)
    streams.start(venue)
    try:
        yield streams
    finally:
        await streams.stop()


@pytest.mark.parametrize(("venue", "side"), [
    ("binanceusdm", "long"), ("binanceusdm", "short"), ("bybit", "long"), ("bybit", "short"),
    ("okx", "long"), ("okx", "short"),
])
async def test_each_venue_native_liquidation_reads_as_coin_side_and_usd(
    settings: Settings, fake_exchange: FakeExchange, ws: FakeLiquidationWs, venue: str,
    side: str,
) -> None:
    async with streaming(_settings(settings, fake_exchange, ws), venue) as streams:
        await ws.subscribed(venue, "ETH")
        assert await ws.push(venue, "ETH", side, 1_250_000.0, 2_500.0, AT) == 1
        [liq] = await streams.wait_for(1)
    assert (liq.venue, liq.coin, liq.side, liq.price, liq.at) == (venue, "ETH", side, 2_500.0,
                                                                 AT.replace(microsecond=250_000))
    assert liq.notional_usd == pytest.approx(1_250_000.0, rel=1e-3)


async def test_okx_contracts_are_converted_with_the_contract_size(
    settings: Settings, fake_exchange: FakeExchange, ws: FakeLiquidationWs
) -> None:
    async with streaming(_settings(settings, fake_exchange, ws), "okx") as streams:
        await ws.subscribed("okx", "BTC")
        await ws.push("okx", "BTC", "long", 4_850_000.0, 97_000.0, AT)  # 5 BTC = 500 contracts
        [liq] = await streams.wait_for(1)
    assert liq.notional_usd == pytest.approx(4_850_000.0)
    assert json.loads(ws.venues["okx"].received[0]) == {
        "op": "subscribe", "args": [{"channel": "liquidation-orders", "instType": "SWAP"}]}


async def test_bybit_subscribes_one_topic_per_watched_coin_on_one_connection(
    settings: Settings, fake_exchange: FakeExchange, ws: FakeLiquidationWs
) -> None:
    async with streaming(_settings(settings, fake_exchange, ws), "bybit") as streams:
        for coin in settings.symbol_names:
            await ws.subscribed("bybit", coin)
        for coin in settings.symbol_names:
            await ws.push("bybit", coin, "short", 100_000.0, 100.0, AT)
        got = await streams.wait_for(len(settings.symbol_names))
    assert sorted(liq.coin for liq in got) == sorted(settings.symbol_names)
    assert ws.venues["bybit"].accepted == 1


async def test_a_dropped_stream_reconnects_resubscribes_and_reports_it(
    settings: Settings, fake_exchange: FakeExchange, ws: FakeLiquidationWs
) -> None:
    async with streaming(_settings(settings, fake_exchange, ws), "binanceusdm") as streams:
        await ws.subscribed("binanceusdm", "BTC")
        assert streams.health.states()[0].status == "connected"
        ws.refuse("binanceusdm")
        await ws.drop("binanceusdm")
        await ws.refused_at_least("binanceusdm", 2)
        dropped = streams.health.states()[0]
        ws.refuse("binanceusdm", False)
        await ws.subscribed("binanceusdm", "BTC")
        await ws.push("binanceusdm", "BTC", "long", 970_000.0, 97_000.0, AT)
        await streams.wait_for(1)
        recovered = streams.health.states()[0]
    assert dropped.status == "reconnecting" and dropped.reconnects >= 2
    assert dropped.last_error is not None
    assert recovered.status == "connected" and recovered.liquidations == 1
    assert recovered.last_message is not None
    assert streams.health.states()[0].status == "stopped"


def test_backoff_doubles_up_to_the_cap_with_jitter_and_resets() -> None:
    top = Backoff(1.0, 8.0, rng=lambda: 1.0)
    assert [top.next() for _ in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    low = Backoff(1.0, 8.0, rng=lambda: 0.0)
    assert [low.next() for _ in range(3)] == [0.5, 1.0, 2.0]
    low.reset()
    assert low.next() == 0.5


async def test_liquidations_arriving_back_to_back_are_all_delivered(
    settings: Settings, fake_exchange: FakeExchange, ws: FakeLiquidationWs
) -> None:
    async with streaming(_settings(settings, fake_exchange, ws), "binanceusdm") as streams:
        await ws.subscribed("binanceusdm", "SOL")
        for i in range(40):
            await ws.push("binanceusdm", "SOL", "long", 10_000.0 + i, 80.0, AT)
        got = await streams.wait_for(40)
    assert sorted(round(liq.notional_usd) for liq in got) == [10_000 + i for i in range(40)]


async def test_a_venue_listing_none_of_the_coins_stops_its_stream_and_says_why(
    settings: Settings, fake_exchange: FakeExchange, ws: FakeLiquidationWs
) -> None:
    for coin in settings.symbol_names:
        fake_exchange.hide("bybit", coin)
    streams = Streams(_settings(settings, fake_exchange, ws))
    streams.start("bybit")
    await asyncio.wait_for(asyncio.gather(*streams.tasks), 10)
    [state] = streams.health.states()
    assert (state.status, state.last_error, state.reconnects) == ("stopped", "NOT_OFFERED", 0)
    assert ws.venues["bybit"].accepted == 0


@pytest.mark.parametrize("venue", ["bybit", "okx"])
async def test_the_venues_application_pings_are_answered_and_keep_the_stream_up(
    settings: Settings, fake_exchange: FakeExchange, ws: FakeLiquidationWs, venue: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = liquidations_stream.new_pro_exchange

    def quick_pings(name: str, conf: Settings) -> Any:
        exchange = real(name, conf)
        exchange.streaming = {**exchange.streaming, "keepAlive": 100}  # ms, not 18 s
        return exchange

    monkeypatch.setattr(liquidations_stream, "new_pro_exchange", quick_pings)
    async with streaming(_settings(settings, fake_exchange, ws), venue) as streams:
        await ws.subscribed(venue, "BTC")
        await asyncio.sleep(1.0)
        await ws.push(venue, "BTC", "short", 500_000.0, 97_000.0, AT)
        await streams.wait_for(1)
        [state] = streams.health.states()
    pings = [m for m in ws.venues[venue].received if "ping" in m]
    assert len(pings) >= 3
    assert (state.status, state.reconnects, ws.venues[venue].accepted) == ("connected", 0, 1)


def test_the_rest_override_leaves_the_websocket_urls_to_ws_url(settings: Settings) -> None:
    venues = settings.venues.model_copy(update={"api_url": {"okx": "http://127.0.0.1:9"}})
    rest_only = settings.model_copy(update={"venues": venues})
    okx = liquidations_stream.new_pro_exchange("okx", rest_only)
    assert okx.urls["api"]["ws"] == "wss://ws.okx.com:443/ws/v5"
    assert okx.urls["api"]["rest"].startswith("http://127.0.0.1:9")
    both = rest_only.model_copy(update={"liquidations": rest_only.liquidations.model_copy(
        update={"ws_url": {"okx": "ws://127.0.0.1:8"}})})
    assert liquidations_stream.new_pro_exchange("okx", both).urls["api"]["ws"] == (
        "ws://127.0.0.1:8/ws/v5")
