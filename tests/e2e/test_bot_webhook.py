"""``--webhook URL --port N``: the bot registers its webhook with a secret and checks it."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.config import Settings
from bot.errors import TelegramUnreachableError
from bot.storage import Storage
from bot.telegram.app import run_bot
from tests.e2e.bot_fixtures import PRIVATE, api, bot_settings, demo_source
from tests.fakes.fake_bot_api import FakeBotApi

__all__ = ["api"]


async def _listening(port: int) -> None:
    """Wait until the bot's webhook server accepts connections."""
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise TimeoutError(f"nothing listens on port {port}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_requires_the_secret_and_answers_updates(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    stop = asyncio.Event()
    conf = bot_settings(settings, tmp_path / "db")
    task = asyncio.create_task(run_bot(conf, demo_source(settings), webhook_url=url, port=port,
                                       stop=stop))
    try:
        await api.wait_for(lambda: api.webhook is not None, 20)
        assert api.webhook is not None and api.webhook["url"] == url
        await _listening(port)
        secret = api.webhook["secret_token"]
        assert len(secret) >= 32
        update = {"update_id": 1, "message": {
            "message_id": 1, "date": 0, "text": "/btc",
            "chat": {"id": PRIVATE, "type": "private", "first_name": "U"},
            "from": {"id": PRIVATE, "is_bot": False, "first_name": "U"},
            "entities": [{"type": "bot_command", "offset": 0, "length": 4}]}}
        async with aiohttp.ClientSession() as http:
            forged = await http.post(url, json=update,
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            api.hold_sends()
            genuine = await http.post(url, json=update,
                                      headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        storage = await Storage.open(tmp_path / "db")
        stored_before_reply = await storage.inbox.status(1)  # the 200 came after the write
        await storage.close()
        api.release_sends()
        [post] = await api.wait_sent(PRIVATE, 1)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)
    assert forged.status == 403
    assert genuine.status == 200
    assert stored_before_reply == "pending"
    assert "BTC" in post.text


async def test_an_unreachable_bot_api_stops_the_bot_with_a_clear_error(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()  # nothing listens there
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{port}/bot")
    conf = bot_settings(settings, tmp_path / "db")
    with pytest.raises(TelegramUnreachableError) as failed:
        await asyncio.wait_for(run_bot(conf, demo_source(settings)), timeout=60)
    assert f"127.0.0.1:{port}" in str(failed.value)
    assert "TEST-token" not in str(failed.value)
