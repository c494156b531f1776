"""A full polling session against the fake Bot API leaves the token out of every log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import Settings
from tests.e2e.bot_fixtures import PRIVATE, api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi

__all__ = ["api"]


async def test_captured_logs_of_a_session_never_contain_the_token(
    api: FakeBotApi, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    source = demo_source(settings)
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), source):
        api.send_text(PRIVATE, "/btc")
        await api.wait_sent(PRIVATE, 1)
        source.crash = RuntimeError("failure while the token is in play")
        api.send_text(PRIVATE, "/eth")
        await api.wait_sent(PRIVATE, 2)
    secret = api.token.split(":", 1)[1]
    assert any("[REDACTED]" in r.getMessage() for r in caplog.records), "no URL was logged"
    assert api.token not in caplog.text and secret not in caplog.text
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert secret not in (record.exc_text or "")
