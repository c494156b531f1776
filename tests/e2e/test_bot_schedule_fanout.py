"""Digest fan-out against the fake Bot API: Telegram's limits, refusals, catch-up after downtime."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.scheduling.keys import ScheduleKey
from bot.scheduling.slots import next_slot
from bot.storage import Storage
from tests.e2e.bot_fixtures import bot_settings, demo_source
from tests.fakes.fake_bot_failures import FailingBotApi
from tests.fakes.schedule_bot import QUIET, fire, runner_of, running_app
from tests.fakes.telegram_limits import SendLimits

EVERY_4H = ScheduleKey.from_texts("every 4h", "UTC")
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FailingBotApi]:
    """The failing fake Bot API; the test fails if the bot sent anything Telegram rejects."""
    fake = FailingBotApi()
    await fake.start()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
    monkeypatch.setenv("TELEGRAM_API_URL", fake.base_url)
    yield fake
    await fake.stop()
    assert fake.violations == [], "the bot sent calls Telegram would reject"


async def _subscribe(db: Path, chats: list[int], schedule: str = "every 4h",
                     created_at: datetime | None = None, thread_id: int | None = None
                     ) -> list[int]:
    storage = await Storage.open(db)
    ids = [await storage.subscriptions.add(chat, thread_id, ("BTC",), schedule,
                                           created_at=created_at) for chat in chats]
    await storage.close()
    return ids


def _next_4h() -> datetime:
    return next_slot(EVERY_4H.schedule, EVERY_4H.timezone, datetime.now(UTC) + QUIET)


async def test_fanout_respects_telegram_limits_and_loses_nothing(
    api: FailingBotApi, settings: Settings, tmp_path: Path
) -> None:
    api.limits = SendLimits()
    chats = [1000 + i for i in range(20)] + [-2000 - i for i in range(20)]
    for chat in chats:
        api.add_chat(chat, "private" if chat > 0 else "supergroup")
    db = tmp_path / "bot.sqlite3"
    await _subscribe(db, chats)
    source = demo_source(settings)
    async with running_app(api, bot_settings(settings, db), source, db) as app:
        report = await fire(app, EVERY_4H.job_name, _next_4h() + timedelta(seconds=1))
    assert report is not None and report.sent == len(chats) and report.failed == 0
    per_chat = {chat: len(api.sent_to(chat)) for chat in chats}
    assert set(per_chat.values()) == {report.messages // len(chats)}
    assert source.calls == ["BTC"]  # one snapshot for forty chats


async def test_429_from_telegram_is_waited_out_and_every_digest_arrives(
    api: FailingBotApi, settings: Settings, tmp_path: Path
) -> None:
    api.limits = SendLimits(per_second=3)
    chats = [3000 + i for i in range(4)]
    for chat in chats:
        api.add_chat(chat, "private")
    db = tmp_path / "bot.sqlite3"
    await _subscribe(db, chats)
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db) as app:
        report = await fire(app, EVERY_4H.job_name, _next_4h() + timedelta(seconds=1))
    assert api.limits.rejected > 0
    assert report is not None and report.sent == len(chats) and report.failed == 0
    assert all(len(api.sent_to(chat)) == report.messages // len(chats) for chat in chats)


async def test_kicked_migrated_and_topic_gone_are_handled_and_others_go_on(
    api: FailingBotApi, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kicked, old_group, new_group, forum, fine = -501, -502, -1_000_000_000_502, -503, -504
    for chat in (kicked, old_group, new_group, forum, fine):
        api.add_chat(chat, "supergroup")
    api.forbidden.add(kicked)
    api.migrated[old_group] = new_group
    api.gone_topics.add((forum, 9))
    db = tmp_path / "bot.sqlite3"
    [kicked_sub, migrated_sub, fine_sub] = await _subscribe(db, [kicked, old_group, fine])
    [topic_sub] = await _subscribe(db, [forum], thread_id=9)
    slot = _next_4h()
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db) as app:
        report = await fire(app, EVERY_4H.job_name, slot + timedelta(seconds=1))
    storage = await Storage.open(db)
    store = storage.subscriptions
    kicked_after = await store.get(kicked_sub)
    migrated_after = await store.get(migrated_sub)
    statuses = [await store.status(s, slot) for s in (kicked_sub, migrated_sub, topic_sub,
                                                        fine_sub)]
    memory = (await store.last_digest(new_group, "BTC"), await store.last_digest(old_group, "BTC"))
    await storage.close()
    assert report is not None and (report.sent, report.paused, report.migrated) == (2, 1, 1)
    assert kicked_after is not None and kicked_after.paused_reason == "forbidden"
    assert migrated_after is not None and migrated_after.chat_id == new_group
    assert statuses == ["failed", "sent", "failed", "sent"]
    # "since the last digest" follows the group to its new id
    assert memory[0] is not None and memory[0].slot == slot and memory[1] is None
    assert api.sent_to(fine) and api.sent_to(new_group) and not api.sent_to(old_group)
    assert any("topic 9 of chat -503 is gone" in r.getMessage() for r in caplog.records)


async def test_missed_slots_are_caught_up_within_grace_and_older_ones_skipped(
    api: FailingBotApi, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    hourly, daily = 701, 702
    api.add_chat(hourly, "private")
    api.add_chat(daily, "private")
    now = datetime(2026, 11, 25, 10, 12, tzinfo=UTC)  # 12 min after the 10:00 slot
    db = tmp_path / "bot.sqlite3"
    [hourly_sub] = await _subscribe(db, [hourly], "hourly", created_at=now - timedelta(days=1))
    [daily_sub] = await _subscribe(db, [daily], "daily 07:00", created_at=now - timedelta(days=2))
    storage = await Storage.open(db)
    last = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
    await storage.subscriptions.record([hourly_sub], hourly, last, "sent")
    await storage.close()
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db,
                           clock=now) as app:
        await asyncio.wait_for(runner_of(app).recovered.wait(), 60)
    storage = await Storage.open(db)
    caught = await storage.subscriptions.status(hourly_sub, now.replace(minute=0))
    daily_last = await storage.subscriptions.last_slot(daily_sub)
    await storage.close()
    assert caught == "sent" and api.sent_to(hourly)  # the 10:00 digest, 12 minutes late
    assert len([s for s in api.sent_to(hourly) if "In brief" in s.text]) == 1
    assert not api.sent_to(daily)  # 07:00 is past the 30-minute grace
    assert daily_last == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    skipped = [r.getMessage() for r in caplog.records if "missed while down skipped" in
               r.getMessage()]
    assert any(f"subscription {hourly_sub}: 4 slot(s)" in m for m in skipped)
    assert any(f"subscription {daily_sub}: 2 slot(s)" in m for m in skipped)


async def _kill_mid_round_and_restart(api: FailingBotApi, settings: Settings, tmp_path: Path,
                                      chats: list[int], *, hold: bool
                                      ) -> tuple[int, dict[int, list[str]], dict[str, int]]:
    """A child fans a slot out to ``chats`` and is SIGKILLed after 25 messages arrived —
    between two sends (``hold``: the next one never reaches Telegram) or just as the 25th
    lands; then a restarted bot recovers. (messages before the kill, texts per chat, counts)
    """
    for chat in chats:
        api.add_chat(chat, "private")
    db = tmp_path / "bot.sqlite3"
    slot = _next_4h()
    await _subscribe(db, chats, created_at=slot - timedelta(hours=1))
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.digest_child", "fanout", str(db), slot.isoformat(),
        cwd=PROJECT_ROOT, env={**os.environ},
    )
    try:
        await api.wait_for(lambda: len(api.sent) >= 25, 60)
        if hold:
            api.hold_sends()
            await api.wait_for(lambda: api.held > 0, 30)
            await asyncio.sleep(0.3)  # the child has recorded every answer it got
    finally:
        child.kill()
        await child.wait()
    sent_by_child = len(api.sent)
    api.release_sends()
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db,
                           clock=slot + timedelta(minutes=1)) as app:
        await asyncio.wait_for(runner_of(app).recovered.wait(), 60)
    storage = await Storage.open(db)
    counts = await storage.subscriptions.delivery_counts()
    await storage.close()
    return sent_by_child, {chat: [s.text for s in api.sent_to(chat)] for chat in chats}, counts


async def test_kill_9_between_sends_of_a_round_then_every_digest_arrives_exactly_once(
    api: FailingBotApi, settings: Settings, tmp_path: Path
) -> None:
    chats = [9100 + i for i in range(40)]
    sent_by_child, messages, counts = await _kill_mid_round_and_restart(
        api, settings, tmp_path, chats, hold=True)
    assert 25 <= sent_by_child < len(chats)  # killed mid-round
    assert all(sum("In brief" in t for t in texts) == 1 for texts in messages.values())
    assert all(len(texts) == len(set(texts)) for texts in messages.values())  # no part twice
    assert len({len(texts) for texts in messages.values()}) == 1  # no part missing
    assert counts == {"sent": len(chats)}


async def test_kill_9_as_a_message_lands_repeats_at_most_that_one_message(
    api: FailingBotApi, settings: Settings, tmp_path: Path
) -> None:
    chats = [9000 + i for i in range(40)]
    _, messages, counts = await _kill_mid_round_and_restart(api, settings, tmp_path, chats,
                                                            hold=False)
    repeated = sum(len(texts) - len(set(texts)) for texts in messages.values())
    assert all(any("In brief" in t for t in texts) for texts in messages.values())
    assert repeated <= 1  # only the message on the wire when the process died
    assert counts == {"sent": len(chats)}
