"""Feed opt-ins (whales, liquidations): persistence, per-chat sizes, pauses, chat moves and
feed messages staged once per event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage import Storage
from bot.storage.migrations import MIGRATIONS, latest_version

NOW = datetime(2026, 2, 4, 12, tzinfo=UTC)


def test_the_feed_migration_is_named_for_what_it_adds() -> None:
    names = {m.name: m.version for m in MIGRATIONS}
    assert "chats' opt-ins to pushed feeds (whales, liquidations)" in names
    assert max(names.values()) == latest_version()


async def test_opt_ins_survive_a_reopen_and_a_second_call_changes_the_size(database: str) -> None:
    db = database
    storage = await Storage.open(db)
    feeds = storage.feeds
    await feeds.subscribe(-100, None, "whales", 1_000_000, NOW)
    await feeds.subscribe(-100, 7, "whales", 5_000_000, NOW + timedelta(hours=1))
    await feeds.subscribe(-100, None, "liquidations", 250_000, NOW)
    await feeds.subscribe(42, None, "whales", 2_000_000, NOW)
    await storage.close()
    storage = await Storage.open(db)
    feeds = storage.feeds
    whales = await feeds.subscribers("whales")
    assert [(s.chat_id, s.thread_id, s.min_usd) for s in whales] == [
        (-100, 7, 5_000_000), (42, None, 2_000_000)]
    assert whales[0].created_at == NOW and not whales[0].paused
    assert [s.feed for s in await feeds.of_chat(-100)] == ["liquidations", "whales"]
    assert await feeds.count("whales") == 2
    assert await feeds.unsubscribe(-100, "whales") is True
    assert await feeds.unsubscribe(-100, "whales") is False
    assert [s.chat_id for s in await feeds.subscribers("whales")] == [42]
    assert [s.chat_id for s in await feeds.subscribers("liquidations")] == [-100]
    await storage.close()


async def test_a_paused_chat_gets_no_feed_until_it_is_resumed(database: str) -> None:
    storage = await Storage.open(database)
    feeds = storage.feeds
    await feeds.subscribe(42, None, "whales", 1_000_000, NOW)
    await feeds.pause_chat(42, "Forbidden: bot was blocked by the user", NOW)
    assert await feeds.subscribers("whales") == []
    [kept] = await feeds.of_chat(42)
    assert kept.paused and kept.paused_reason == "Forbidden: bot was blocked by the user"
    assert await feeds.resume_chat(42) == "Forbidden: bot was blocked by the user"
    assert await feeds.resume_chat(42) is None
    assert [s.chat_id for s in await feeds.subscribers("whales")] == [42]
    await storage.close()


async def test_opt_ins_and_pauses_follow_a_chat_that_moved(database: str) -> None:
    storage = await Storage.open(database)
    feeds = storage.feeds
    await feeds.subscribe(-1, None, "whales", 1_000_000, NOW)
    await feeds.subscribe(-1, None, "liquidations", 100_000, NOW)
    await feeds.subscribe(-1002, None, "liquidations", 300_000, NOW)
    await feeds.pause_chat(-1, "blocked", NOW)
    assert await feeds.migrate_chat(-1, -1002) == 1
    assert await feeds.of_chat(-1) == []
    moved = {s.feed: s.min_usd for s in await feeds.of_chat(-1002)}
    assert moved == {"whales": 1_000_000, "liquidations": 300_000}
    assert await feeds.paused(-1002) == "blocked"
    await storage.close()


async def test_an_event_is_staged_once_per_chat_and_counted_apart_from_price_alerts(
        database: str) -> None:
    db = database
    storage = await Storage.open(db)
    feeds = storage.feeds
    staged = await feeds.stage_feed_message(42, None, "whales", "0xabc opened", "w:1", NOW)
    again = await feeds.stage_feed_message(42, None, "whales", "0xabc opened", "w:1", NOW)
    other_chat = await feeds.stage_feed_message(43, 5, "whales", "0xabc opened", "w:1", NOW)
    assert staged is not None and staged.feed == "whales" and staged.alert_ids == ()
    assert again is None and other_chat is not None
    await storage.close()
    storage = await Storage.open(db)
    pending = await storage.alerts.pending()
    assert [(m.chat_id, m.thread_id, m.feed, m.text) for m in pending] == [
        (42, None, "whales", "0xabc opened"), (43, 5, "whales", "0xabc opened")]
    assert await storage.feeds.messages_since(42, "whales", NOW - timedelta(hours=1)) == (1, NOW)
    assert await storage.feeds.messages_since(42, "liquidations", NOW - timedelta(hours=1)) \
        == (0, None)
    assert await storage.alerts.messages_since(42, NOW - timedelta(hours=1)) == (0, None)
    await storage.alerts.settle(pending[0].id, NOW)
    assert [m.chat_id for m in await storage.alerts.pending()] == [43]
    await storage.close()
