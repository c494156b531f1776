"""The subscription tables: chats and timezones, subscriptions, delivery log, digest memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.scheduling.digest import DigestMemory, DigestMetrics
from bot.storage import Storage
from bot.storage.migrations import latest_version

SLOT = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
METRICS = DigestMetrics(99_400.0, 33.4e9, 1.335, -0.000064, -0.27, "bearish")


async def test_subscriptions_survive_reopening_the_database(database: str) -> None:
    db = database
    storage = await Storage.open(db)
    store = storage.subscriptions
    await store.set_timezone(-100, "supergroup", "Europe/Berlin")
    first = await store.add(-100, None, ("BTC", "ETH"), "daily 08:00")
    await store.add(-100, 7, ("SOL",), "every 4h")
    await store.add(55, None, ("BTC",), "every 4h")
    await storage.close()
    reopened = await Storage.open(db)
    store = reopened.subscriptions
    subs = await store.of_chat(-100)
    berlin_4h = await store.active_for("every 4h", "Europe/Berlin")
    utc_4h = await store.active_for("every 4h", "UTC")
    version = await reopened.schema_version()
    await reopened.close()
    assert version == latest_version() >= 3
    assert [(s.id, s.symbols, s.schedule, s.timezone, s.thread_id) for s in subs] == [
        (first, ("BTC", "ETH"), "daily 08:00", "Europe/Berlin", None),
        (first + 1, ("SOL",), "every 4h", "Europe/Berlin", 7),
    ]
    assert [s.chat_id for s in berlin_4h] == [-100] and [s.chat_id for s in utc_4h] == [55]


async def test_pause_resume_and_remove_touch_only_that_chat(database: str) -> None:
    storage = await Storage.open(database)
    store = storage.subscriptions
    a = await store.add(1, None, ("BTC",), "every 4h")
    b = await store.add(2, None, ("BTC",), "every 4h")
    paused = await store.pause_chat(1, "paused")
    active_while_paused = [s.id for s in await store.active()]
    await store.pause_chat(1, None)
    removed_wrong_chat = await store.remove(2, a)
    removed = await store.remove(1, a)
    left = [s.id for s in await store.active()]
    await storage.close()
    assert paused == 1 and active_while_paused == [b]
    assert removed_wrong_chat == 0 and removed == 1 and left == [b]


async def test_delivery_log_tracks_pending_sent_and_attempts(database: str) -> None:
    storage = await Storage.open(database)
    store = storage.subscriptions
    sub = await store.add(1, None, ("BTC",), "every 4h")
    await store.record([sub], 1, SLOT, "pending")
    pending_first = await store.pending()
    settled_while_pending = await store.settled(SLOT, [sub])
    await store.record([sub], 1, SLOT, "pending")
    pending_again = await store.pending()
    await store.record([sub], 1, SLOT, "sent")
    last = await store.last_slot(sub)
    settled = await store.settled(SLOT, [sub])
    counts = await store.delivery_counts()
    await storage.close()
    assert [(p.subscription_id, p.slot, p.attempts) for p in pending_first] == [(sub, SLOT, 1)]
    assert settled_while_pending == set()
    assert [p.attempts for p in pending_again] == [2]
    assert last == SLOT and settled == {sub} and counts == {"sent": 1}


async def test_digest_memory_keeps_last_twenty_headlines_and_latest_metrics(database: str) -> None:
    storage = await Storage.open(database)
    store = storage.subscriptions
    for i in range(25):
        metrics = DigestMetrics(100.0 + i, None, None, None, 0.1, "neutral")
        await store.remember(DigestMemory(7, "BTC", SLOT + timedelta(hours=i), f"H{i}", metrics))
    await store.remember(DigestMemory(7, "ETH", SLOT, "E", METRICS))
    headlines = await store.recent_headlines(7)
    last_btc = await store.last_digest(7, "BTC")
    nothing = await store.last_digest(8, "BTC")
    await storage.close()
    assert headlines == (*(f"H{i}" for i in range(6, 25)), "E")
    assert last_btc is not None and last_btc.metrics.price == 124.0
    assert last_btc.slot == SLOT + timedelta(hours=24)
    assert nothing is None


async def test_migrated_chat_keeps_subscriptions_timezone_and_memory(database: str) -> None:
    storage = await Storage.open(database)
    store = storage.subscriptions
    await store.set_timezone(-5, "group", "Asia/Tokyo")
    sub = await store.add(-5, None, ("BTC",), "daily 09:00")
    await store.remember(DigestMemory(-5, "BTC", SLOT, "Old headline", METRICS))
    await store.migrate_chat(-5, -1_000_000_000_005)
    moved = await store.get(sub)
    memory = await store.last_digest(-1_000_000_000_005, "BTC")
    old = await store.of_chat(-5)
    await storage.close()
    assert moved is not None and moved.chat_id == -1_000_000_000_005
    assert moved.timezone == "Asia/Tokyo"
    assert memory is not None and memory.headline == "Old headline" and old == ()
