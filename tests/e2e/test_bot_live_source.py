"""The bot on the live ccxt source against the fake exchange: venues up, then down."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from tests.e2e.bot_fixtures import PRIVATE, api, bot_settings, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.fake_exchange import loopback_guard, running_fake_exchange

__all__ = ["api"]


async def test_live_source_posts_and_venue_outage_is_answered_politely(
    api: FakeBotApi, tmp_path: Path
) -> None:
    with loopback_guard() as outside:
        async with running_fake_exchange() as fx:
            conf: Settings = bot_settings(
                fx.settings(load_settings(), retries=0, backoff_seconds=0.0,
                            timeout_seconds=3.0),
                tmp_path / "db",
            )
            source = CcxtSource(conf)
            await source.start()
            try:
                async with running_bot(api, conf, source):
                    api.send_text(PRIVATE, "/btc")
                    [post] = await api.wait_sent(PRIVATE, 1, timeout=30)
                    for venue in fx.venues:
                        fx.fault(venue, "5xx")
                    api.send_text(PRIVATE, "/eth")
                    outage = (await api.wait_sent(PRIVATE, 2, timeout=60))[1]
            finally:
                await source.close()
    assert outside == []
    assert "BTC" in post.text and post.buttons
    assert "went wrong" not in outage.text
    assert "ETH" in outage.text
