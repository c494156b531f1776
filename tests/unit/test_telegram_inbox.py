"""The inbox at start-up: pending updates handed back first, poison and stale ones dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update

from bot.app.codec import ANALYSIS_CODEC
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.storage import Storage
from bot.telegram.inbox import MAX_AGE, MAX_REDELIVERIES, InboxQueue, redeliver_pending
from tests.fakes.telegram_harness import harness

APOLOGY = "Sorry, I could not answer that one."


def _body(update_id: int, chat_id: int = 31, text: str = "/btc") -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "User"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "User"},
    }}


async def test_a_pending_update_is_handed_back_once_more_and_counted(
    settings: Settings, database: str
) -> None:
    storage = await Storage.open(database, codec=ANALYSIS_CODEC)
    await storage.inbox.receive(7, 31, _body(7))
    async with harness(settings, DemoSource(settings), storage) as h:
        result = await redeliver_pending(h.app, APOLOGY)
        queued = h.app.update_queue.get_nowait()
        [entry] = await storage.inbox.pending()
    await storage.close()
    assert (result.redelivered, result.dropped) == (1, 0)
    assert isinstance(queued, Update) and queued.message is not None
    assert queued.message.text == "/btc"
    assert entry.attempts == 1


async def test_an_update_that_failed_on_every_attempt_is_dropped_with_an_apology(
    settings: Settings, database: str
) -> None:
    storage = await Storage.open(database, codec=ANALYSIS_CODEC)
    await storage.inbox.receive(8, 32, _body(8, chat_id=32))
    for _ in range(MAX_REDELIVERIES):
        await storage.inbox.attempt(8)
    async with harness(settings, DemoSource(settings), storage) as h:
        result = await redeliver_pending(h.app, APOLOGY)
        sent = [c.params for c in h.request.calls if c.method == "sendMessage"]
        empty = h.app.update_queue.empty()
    status = await storage.inbox.status(8)
    await storage.close()
    assert (result.redelivered, result.dropped) == (0, 1)
    assert [(p["chat_id"], p["text"]) for p in sent] == [(32, APOLOGY)]
    assert empty and status == "dropped"


async def test_an_update_older_than_a_day_is_not_answered_after_a_restart(
    settings: Settings, database: str
) -> None:
    storage = await Storage.open(database, codec=ANALYSIS_CODEC)
    old = datetime.now(UTC) - MAX_AGE - timedelta(minutes=1)
    await storage.inbox.receive(9, 33, _body(9, chat_id=33), now=old)
    async with harness(settings, DemoSource(settings), storage) as h:
        result = await redeliver_pending(h.app, APOLOGY)
    status = await storage.inbox.status(9)
    await storage.close()
    assert result.dropped == 1 and status == "dropped"


async def test_an_update_telegram_delivers_twice_is_queued_once(
    settings: Settings, database: str
) -> None:
    storage = await Storage.open(database, codec=ANALYSIS_CODEC)
    async with harness(settings, DemoSource(settings), storage) as h:
        queue = h.app.update_queue
        assert isinstance(queue, InboxQueue)
        update = Update.de_json(_body(10), h.app.bot)
        await queue.put(update)
        await queue.put(Update.de_json(_body(10), h.app.bot))
        size = queue.qsize()
    status = await storage.inbox.status(10)
    await storage.close()
    assert size == 1 and status == "pending"


async def test_a_reused_update_id_with_new_content_is_a_new_update(database: str) -> None:
    storage = await Storage.open(database, codec=ANALYSIS_CODEC)
    await storage.inbox.receive(11, 31, _body(11, text="/btc"))
    await storage.inbox.settle(11, "done")
    fresh = await storage.inbox.receive(11, 31, _body(11, text="/eth"))
    [entry] = await storage.inbox.pending()
    await storage.close()
    assert fresh and entry.payload["message"]["text"] == "/eth"
