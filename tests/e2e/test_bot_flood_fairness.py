"""Fair under load: one user flooding light commands does not delay anyone else's replies."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.config import Settings
from tests.e2e.bot_fixtures import api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi

__all__ = ["api"]
FLOODER = 600
OTHERS = [8_000 + i for i in range(10)]
#: 60 light commands a second for 5 s: twice what Telegram lets the bot send in a second
FLOOD_PER_SECOND = 60
FLOOD_SECONDS = 5


async def _flood(api: FakeBotApi) -> None:
    for _ in range(FLOOD_SECONDS * 10):
        for _ in range(FLOOD_PER_SECOND // 10):
            api.send_text(FLOODER, "/help")
        await asyncio.sleep(0.1)


async def test_a_user_flooding_light_commands_leaves_other_chats_answered_promptly(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        for chat in OTHERS:  # everyone has had one answer (templates compiled)
            api.send_text(chat, "/help")
        await api.wait_for(lambda: all(api.sent_to(c) for c in OTHERS))
        flood = asyncio.create_task(_flood(api))
        await asyncio.sleep(FLOOD_SECONDS - 1)
        asked = time.perf_counter()
        for chat in OTHERS:
            api.send_text(chat, "/help")
        await api.wait_for(lambda: all(len(api.sent_to(c)) == 2 for c in OTHERS), 60)
        delays = [api.sent_to(c)[-1].at - asked for c in OTHERS]
        await flood
        to_flooder = [s.text for s in api.sent_to(FLOODER)]
    assert max(delays) < 1.0, delays
    assert len(to_flooder) <= 13  # the per-user window, then one polite "slow down"
    assert sum("a lot of requests" in t for t in to_flooder) == 1
