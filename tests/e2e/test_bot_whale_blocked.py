"""A group that removed the bot: its whale feed is paused (Telegram's own 403 through the fake
Bot API), nothing more is sent to it, and when it talks to the bot again ``/alerts`` says its
alerts and feeds are back on and the next whale move reaches it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.market.ccxt_source import CcxtSource
from tests.e2e.bot_fixtures import GROUP, bot_settings, run_whale_job, say, serving
from tests.fakes.fake_bot_failures import FailingBotApi
from tests.fakes.fake_exchange import loopback_guard, running_fake_exchange
from tests.fakes.fake_market import TRACKED_WHALE, _hl_position
from tests.fakes.schedule_bot import running_app

ADMIN = 4242


@pytest.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FailingBotApi]:
    """The failing fake Bot API; the group's administrator is ``ADMIN``."""
    async with serving(FailingBotApi(), monkeypatch) as fake:
        fake.admins[GROUP] = {ADMIN}
        assert isinstance(fake, FailingBotApi)
        yield fake


async def test_a_group_that_removed_the_bot_is_paused_until_it_comes_back(
    api: FailingBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    with loopback_guard() as outside:
        async with running_fake_exchange() as fx:
            base = bot_settings(fx.settings(load_settings(), retries=0, backoff_seconds=0.0,
                                            timeout_seconds=5.0), db)
            conf = base.model_copy(update={"cache": base.cache.model_copy(
                update={"whales_ttl": 0})})
            source = CcxtSource(conf)
            await source.start()
            whale = fx.market.whales[TRACKED_WHALE]
            try:
                async with running_app(api, conf, source, db) as app:
                    await say(api, GROUP, "/whalealerts on 1m", ADMIN)
                    await run_whale_job(app)
                    api.forbidden.add(GROUP)
                    whale.asset_positions.append(_hl_position("SOL", 60_000.0, 80.0, 82.0,
                                                              10, 60.0))
                    refused = await run_whale_job(app)
                    api.forbidden.discard(GROUP)
                    whale.asset_positions.append(_hl_position("DOGE", 3e7, 0.1, 0.1, 5, None))
                    paused = await run_whale_job(app)
                    sent_before = len(api.sent_to(GROUP))
                    back = await say(api, GROUP, "/alerts", ADMIN)
                    whale.asset_positions.pop()
                    resumed = await run_whale_job(app)
                    await api.wait_sent(GROUP, sent_before + 2, timeout=30)
                    last = api.sent_to(GROUP)[-1].text
            finally:
                await source.close()
    assert outside == []
    assert (refused.events[0].kind, refused.failed, refused.messages) == ("opened", 1, 0)
    assert [e.kind for e in paused.events] == ["opened"] and paused.messages == 0
    assert "they are back on now" in back
    assert [e.kind for e in resumed.events] == ["closed"] and resumed.messages == 1
    assert "<b>Whale 0x94d3</b> closed a $3M DOGE long at 5x" in last
