"""Crash drills with the bot as a real process: kill -9 loses nothing acknowledged."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from bot.storage import Storage
from tests.e2e.bot_fixtures import api
from tests.fakes.bot_process import config_with_database, kill_hard, start_bot_process
from tests.fakes.fake_bot_api import FakeBotApi

__all__ = ["api"]
CHATS = [7_000 + i for i in range(30)]


async def test_kill_9_after_acknowledging_30_subscribes_then_every_chat_is_answered_once(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    config = config_with_database(tmp_path, db)
    for chat in CHATS:
        api.add_chat(chat, "private")
    last = max(api.send_text(chat, "/subscribe btc daily 08:00") for chat in CHATS)
    api.hold_sends()  # the replies are on their way when the process dies
    child = await start_bot_process(api, config)
    try:
        await api.wait_for(lambda: api.polled_past(last), 60)  # Telegram hears: all received
    finally:
        await kill_hard(child)
    answered_before_restart = len(api.sent)
    api.release_sends()
    child = await start_bot_process(api, config)
    try:
        await api.wait_for(lambda: all(api.sent_to(chat) for chat in CHATS), 60)
        await asyncio.sleep(0.5)  # room for a duplicate to show up
    finally:
        child.send_signal(signal.SIGTERM)
        await asyncio.wait_for(child.wait(), 30)
    storage = await Storage.open(db)
    subscriptions = [await storage.subscriptions.of_chat(chat) for chat in CHATS]
    await storage.close()
    replies = {chat: [s.text for s in api.sent_to(chat)] for chat in CHATS}
    assert answered_before_restart == 0
    assert all(len(texts) == 1 for texts in replies.values()), replies
    assert all("Subscribed" in texts[0] for texts in replies.values()), replies[CHATS[0]]
    assert all(len(subs) == 1 for subs in subscriptions)
    assert child.returncode == 0


async def test_sigterm_lets_every_received_command_get_its_reply_before_exit(
    api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    chats = CHATS[:5]
    last = max(api.send_text(chat, "/help") for chat in chats)
    api.hold_sends()  # the replies are in flight when the stop signal comes
    child = await start_bot_process(api, config_with_database(tmp_path, db))
    try:
        await api.wait_for(lambda: api.polled_past(last) and api.held > 0, 60)
        child.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        api.release_sends()
        await asyncio.wait_for(child.wait(), 30)
    finally:
        if child.returncode is None:
            await kill_hard(child)
    storage = await Storage.open(db)
    pending = await storage.inbox.pending()
    await storage.close()
    assert child.returncode == 0
    assert all(len(api.sent_to(chat)) == 1 for chat in chats)
    assert pending == ()
