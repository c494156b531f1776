"""Whale alerts end to end: the real Application polls the fake Bot API, the live ccxt source
polls the fake Hyperliquid venue; the tracked address changes its positions between two runs
of the whale job (run at chosen moments, never waited for), the opted-in chat gets exactly one
message, and a restart on the same database announces nothing again."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from tests.e2e.bot_fixtures import (
    GROUP,
    PRIVATE,
    api,
    bot_settings,
    demo_source,
    run_whale_job,
    say,
)
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.fake_exchange import loopback_guard, running_fake_exchange
from tests.fakes.fake_market import TRACKED_WHALE, _hl_position
from tests.fakes.schedule_bot import running_app

__all__ = ["api"]

ADMIN = 4242
MEMBER = 4343
OTHER_WHALE = "0x" + "5e" * 20


@pytest.fixture(autouse=True)
def group_admin(api: FakeBotApi) -> None:
    """The group of the shared fake Bot API has one administrator, ``ADMIN``."""
    api.admins[GROUP] = {ADMIN}


def _uncached(conf: Settings) -> Settings:
    """Positions fetched anew by every run (no whale cache between the two polls)."""
    return conf.model_copy(update={"cache": conf.cache.model_copy(update={"whales_ttl": 0})})


async def test_done_when_a_tracked_whale_move_reaches_an_opted_in_chat_once(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    with loopback_guard() as outside:
        async with running_fake_exchange() as fx:
            conf = _uncached(bot_settings(fx.settings(
                load_settings(), retries=0, backoff_seconds=0.0, timeout_seconds=5.0), db))
            source = CcxtSource(conf)
            await source.start()
            try:
                async with running_app(api, conf, source, db) as app:
                    opted = await say(api, PRIVATE, "/whalealerts on 1m")
                    baseline = await run_whale_job(app)
                    quiet = len(api.sent_to(PRIVATE))
                    whale = fx.market.whales[TRACKED_WHALE]
                    whale.asset_positions.append(
                        _hl_position("SOL", 60_000.0, 80.0, 82.0, 10, 60.0))
                    moved = await run_whale_job(app)
                    await api.wait_sent(PRIVATE, quiet + 1, timeout=30)
                    again = await run_whale_job(app)
                    after_moves = list(api.sent_to(PRIVATE)[quiet:])
                    status = await say(api, PRIVATE, "/whalealerts")
                async with running_app(api, conf, source, db) as app:
                    count = len(api.sent_to(PRIVATE))
                    restarted = await run_whale_job(app)
                    after_restart = len(api.sent_to(PRIVATE))
            finally:
                await source.close()
    assert outside == []
    assert "Whale alerts on" in opted and "$1M or more" in opted
    assert (baseline.baselines, baseline.events, baseline.messages) == (1, [], 0)
    assert [e.kind for e in moved.events] == ["opened"] and moved.messages == 1
    assert again.events == [] and restarted.events == [] and restarted.baselines == 0
    [message] = after_moves
    assert "🐋 <b>Whale moves</b>" in message.text
    assert "• <b>Whale 0x94d3</b> opened a $4.9M SOL long at 10x — SOL trades at $" \
        in message.text and "% in 24 hours." in message.text
    assert "Whale alerts are <b>on</b> here for moves of $1M or more" in status
    assert after_restart == count


async def test_whale_commands_validate_politely_and_groups_need_an_admin(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db):
        refused = await say(api, GROUP, f"/whalewatch add {OTHER_WHALE}", MEMBER)
        listing = await say(api, GROUP, "/whalewatch", MEMBER)
        bad = await say(api, GROUP, "/whalewatch add 0x1234 fund", ADMIN)
        verb = await say(api, GROUP, "/whalewatch follow 0x1234", ADMIN)
        added = await say(api, GROUP, f"/whalewatch add {OTHER_WHALE.upper()[2:]}", ADMIN)
        added = await say(api, GROUP, f"/whalewatch add {OTHER_WHALE} Market maker", ADMIN)
        twice = await say(api, GROUP, f"/whalewatch add {OTHER_WHALE}", ADMIN)
        configured = await say(api, GROUP, f"/whalewatch add {TRACKED_WHALE}", ADMIN)
        on = await say(api, GROUP, "/whalealerts on lots", ADMIN)
        on_demo = await say(api, GROUP, "/whalealerts on 2m", ADMIN)
        listed = await say(api, GROUP, "/whalewatch", MEMBER)
        removed = await say(api, GROUP, f"/whalewatch remove {OTHER_WHALE}", ADMIN)
        off = await say(api, GROUP, "/whalealerts off", ADMIN)
        status = await say(api, PRIVATE, "/help")
    assert "Only this group's administrators can use <code>/whalewatch</code>" in refused
    assert "Whale 0x94d3 (for every chat)" in listing and "Whale alerts are <b>off</b>" in listing
    assert "<b>0x1234</b> is not a Hyperliquid address" in bad and "40 hex digits" in bad
    assert "I know <code>add</code> and <code>remove</code>, not <b>follow</b>" in verb
    assert f"🐋 Watching <code>{OTHER_WHALE}</code> as <b>Market maker</b>" in added
    assert "only once an admin sends <code>/whalealerts on</code>" in added
    assert "already watches" in twice and "already watched for every chat" in configured
    assert "<b>lots</b> is not an amount I can read" in on
    assert "moves of $2M or more" in on_demo
    assert "offline demo market, which has no whale positions, so nothing will be posted" \
        in on_demo
    assert "Market maker (added here)" in listed
    assert "Stopped watching" in removed and "Whale alerts are off" in off
    assert "/whalealerts" in status
