"""Soak: 1,000 updates (20 hypothesis batches of 50) with 20% of venue calls failing.

Zero unhandled exceptions; every update answered or deliberately ignored; nothing
sent that Telegram would reject.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Settings, load_settings
from tests.e2e.bot_fixtures import bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.soak_updates import UpdateSpec, push, update_spec

BATCHES = 20
BATCH_SIZE = 50
_chats = itertools.count(10_000)
#: The bot's loggers (the bot, PTB, the event loop); the fake server's (aiohttp) are left out.
BOT_LOGGERS = ("bot", "telegram", "asyncio")


def _is_bots(record: logging.LogRecord) -> bool:
    return any(record.name == n or record.name.startswith(n + ".") for n in BOT_LOGGERS)


async def _run_batch(conf: Settings, specs: list[UpdateSpec]) -> FakeBotApi:
    api = FakeBotApi()
    await api.start()
    api.add_chat(1, "private")
    source = demo_source(conf, failure_rate=0.2)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("TELEGRAM_BOT_TOKEN", api.token)
            mp.setenv("TELEGRAM_API_URL", api.base_url)
            async with running_bot(api, conf, source):
                checks = [push(api, spec, next(_chats)) for spec in specs]
                await api.wait_for(lambda: all(check() for check in checks), 60)
        assert all(check() for check in checks), "an update was neither answered nor ignored"
    finally:
        await api.stop()
    return api


@settings(max_examples=BATCHES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(specs=st.lists(update_spec(), min_size=BATCH_SIZE, max_size=BATCH_SIZE))
def test_soak_every_update_is_answered_or_ignored_without_errors(
    specs: list[UpdateSpec], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    caplog.clear()
    with tempfile.TemporaryDirectory() as tmp:
        conf = bot_settings(load_settings(), Path(tmp) / "soak.sqlite3")
        api = asyncio.run(_run_batch(conf, specs))
    assert api.violations == []
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and _is_bots(r)]
    assert errors == [], errors[0].getMessage() if errors else ""


def test_only_the_bots_loggers_count_as_soak_errors() -> None:
    def record(name: str) -> logging.LogRecord:
        return logging.LogRecord(name, logging.ERROR, __file__, 1, "boom", None, None)

    assert [_is_bots(record(n)) for n in ("bot", "bot.telegram.app", "telegram.ext.Application",
                                          "asyncio")] == [True] * 4
    assert not any(_is_bots(record(n)) for n in ("aiohttp.server", "aiohttp.access", "botany"))
