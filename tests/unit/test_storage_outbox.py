"""The digest outbox: a chat's messages staged before sending, each marked as it goes out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.scheduling.digest import DigestMemory, DigestMetrics
from bot.storage import Storage

SLOT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
METRICS = DigestMetrics(64_000.0, None, None, None, 0.2, "bullish")


async def test_staged_parts_survive_and_only_unsent_ones_remain_to_send(database: str) -> None:
    storage = await Storage.open(database)
    sub = await storage.subscriptions.add(41, None, ("BTC",), "daily 08:00")
    outbox = storage.outbox
    await outbox.stage([sub], 41, None, SLOT, ["part one", "part two"],
                       [DigestMemory(41, "BTC", SLOT, "Bitcoin holds", METRICS)])
    await outbox.mark_sent(41, None, SLOT, 0)
    parts = await outbox.parts(41, None, SLOT)
    status = await storage.subscriptions.status(sub, SLOT)
    headlines = await storage.subscriptions.recent_headlines(41)
    await outbox.settle([sub], 41, None, SLOT)
    after = await outbox.parts(41, None, SLOT)
    settled = await storage.subscriptions.status(sub, SLOT)
    await storage.close()
    assert [(p.text, p.sent) for p in parts] == [("part one", True), ("part two", False)]
    assert status == "pending" and headlines == ("Bitcoin holds",)
    assert after == () and settled == "sent"


async def test_a_failed_delivery_forgets_what_the_chat_never_received(database: str) -> None:
    storage = await Storage.open(database)
    sub = await storage.subscriptions.add(42, 7, ("BTC",), "daily 08:00")
    await storage.outbox.stage([sub], 42, 7, SLOT, ["only part"],
                               [DigestMemory(42, "BTC", SLOT, "Bitcoin slips", METRICS)])
    await storage.outbox.settle([sub], 42, 7, SLOT, failed="forbidden: bot was blocked")
    headlines = await storage.subscriptions.recent_headlines(42)
    status = await storage.subscriptions.status(sub, SLOT)
    await storage.close()
    assert headlines == () and status == "failed"


async def test_staged_messages_of_an_abandoned_delivery_are_pruned_with_the_log(
    database: str
) -> None:
    storage = await Storage.open(database)
    sub = await storage.subscriptions.add(43, None, ("BTC",), "daily 08:00")
    await storage.outbox.stage([sub], 43, None, SLOT, ["stuck"], [])
    await storage.subscriptions.prune(SLOT + timedelta(days=31))
    left = await storage.outbox.parts(43, None, SLOT)
    await storage.close()
    assert left == ()
