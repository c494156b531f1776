"""Liquidation bursts end to end: the real Application polls the fake Bot API; the real
ccxt.pro classes read the local websocket fake (market lists from the fake exchange)."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.telegram.handlers.liqalerts import LIQUIDATIONS_KEY
from tests.e2e.bot_fixtures import GROUP, PRIVATE, api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.fake_exchange import FakeExchange, fake_exchange, loopback_only
from tests.fakes.fake_liquidation_ws import FakeLiquidationWs, running_liquidation_ws
from tests.fakes.schedule_bot import running_app

__all__ = ["api", "fake_exchange", "loopback_only"]
ADMIN = 4242
#: when the pushed liquidations happened (their own times drive the burst window)
AT = datetime(2026, 2, 5, 14, 30, 5, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def group_admin(api: FakeBotApi) -> None:
    """The group of the shared fake Bot API has one administrator, ``ADMIN``."""
    api.admins[GROUP] = {ADMIN}


@pytest.fixture
async def ws() -> AsyncIterator[FakeLiquidationWs]:
    """The websocket fake; the test fails if the bot sent it anything unexpected."""
    async with running_liquidation_ws() as fake:
        yield fake
    assert fake.errors == [], f"unexpected client frames: {fake.errors}"


def _conf(settings: Settings, db: Path, fx: FakeExchange, ws: FakeLiquidationWs) -> Settings:
    conf = fx.settings(bot_settings(settings, db, operators=(PRIVATE,)))
    return ws.settings(conf, backoff_seconds=0.05, backoff_max_seconds=0.2)


async def _say(api: FakeBotApi, chat_id: int, text: str, user_id: int | None = None) -> str:
    count = len(api.sent_to(chat_id))
    api.send_text(chat_id, text, user_id=user_id)
    return _plain((await api.wait_sent(chat_id, count + 1))[count].text)


def _plain(markup: str) -> str:
    """What the user reads: the HTML markup without its tags."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


async def test_done_when_a_burst_reaches_the_opted_in_chat_once_and_no_other(
    api: FakeBotApi, settings: Settings, tmp_path: Path, fake_exchange: FakeExchange,
    ws: FakeLiquidationWs,
) -> None:
    db = tmp_path / "bot.sqlite3"
    conf = _conf(settings, db, fake_exchange, ws)
    async with running_app(api, conf, demo_source(settings), db) as app:
        feature = app.bot_data[LIQUIDATIONS_KEY]
        idle = feature.running
        answer = await _say(api, PRIVATE, "/liqalerts on")
        refused = await _say(api, GROUP, "/liqalerts on", user_id=77)
        for venue in ("binanceusdm", "bybit", "okx"):
            await ws.subscribed(venue, "BTC")
        before = len(api.sent_to(PRIVATE))
        await ws.push("binanceusdm", "BTC", "long", 9_000_000.0, 97_120.0, AT)
        await ws.push("bybit", "BTC", "long", 9_000_000.0, 96_800.0, AT + 20 * SECOND)
        await ws.push("okx", "BTC", "long", 11_000_000.0, 96_380.0, AT + 40 * SECOND)
        [burst] = (await api.wait_sent(PRIVATE, before + 1))[before:]
        # the burst goes on: more liquidations, no second message
        await ws.push("binanceusdm", "BTC", "long", 12_000_000.0, 96_100.0, AT + 50 * SECOND)
        await ws.push("bybit", "BTC", "long", 1_000_000.0, 96_000.0, AT + 55 * SECOND)
        await asyncio.sleep(0.5)
        after = api.sent_to(PRIVATE)[before:]
        group = api.sent_to(GROUP)
        off = await _say(api, PRIVATE, "/liqalerts off")
        await asyncio.sleep(0.2)
        stopped = feature.running
    assert idle is False and stopped is False
    assert "Liquidation alerts are on for this chat" in answer
    assert "Only this group's administrators can use /liqalerts" in refused
    read = _plain(burst.text)
    assert read.startswith("💥 $29M of BTC longs liquidated in 1 minute as BTC fell $740 "
                           "to $96,380.")
    assert "Binance, Bybit and OKX · 3 liquidations · 14:30 UTC" in read
    assert [s.text for s in after] == [burst.text]
    assert [_plain(s.text) for s in group] == [refused]
    assert "Liquidation alerts are off for this chat." in off


async def test_a_dropped_stream_shows_in_status_and_recovers(
    api: FakeBotApi, settings: Settings, tmp_path: Path, fake_exchange: FakeExchange,
    ws: FakeLiquidationWs,
) -> None:
    db = tmp_path / "bot.sqlite3"
    conf = _conf(settings, db, fake_exchange, ws)
    async with running_app(api, conf, demo_source(settings), db):
        await _say(api, PRIVATE, "/liqalerts on 50m")
        await ws.subscribed("okx", "BTC")
        healthy = await _say(api, PRIVATE, "/status")
        ws.refuse("okx")
        await ws.drop("okx")
        await ws.refused_at_least("okx", 2)
        down = await _say(api, PRIVATE, "/status")
        ws.refuse("okx", False)
        await ws.subscribed("okx", "BTC")
        await ws.push("okx", "ETH", "short", 100_000.0, 2_500.0)
        await asyncio.sleep(0.3)
        back = await _say(api, PRIVATE, "/status")
    assert "Liquidation streams" in healthy and "OKX: connected" in healthy
    assert "OKX: reconnecting" in down and "reconnects" in down
    assert "OKX: connected" in back and "last message" in back


async def test_enabled_streams_run_without_opt_ins_and_close_when_the_bot_stops(
    api: FakeBotApi, settings: Settings, tmp_path: Path, fake_exchange: FakeExchange,
    ws: FakeLiquidationWs,
) -> None:
    conf = _conf(settings, tmp_path / "bot.sqlite3", fake_exchange, ws)
    conf = conf.model_copy(update={"liquidations": conf.liquidations.model_copy(
        update={"enabled": True, "coins": ("ETH",)})})
    async with running_bot(api, conf, demo_source(settings)):
        for venue in ("binanceusdm", "bybit", "okx"):
            await ws.subscribed(venue, "ETH")
        open_before = sum(len(v.connections) for v in ws.venues.values())
        status = await _say(api, PRIVATE, "/liqalerts")
    await asyncio.sleep(0.2)
    assert open_before == 3
    assert sum(len(v.connections) for v in ws.venues.values()) == 0
    assert "Liquidation alerts are off here." in status and "ETH $15M" in status
    assert "BTC" not in status
