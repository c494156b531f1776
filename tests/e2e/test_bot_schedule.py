"""Scheduled digests end to end: commands in groups, channels and topics, restarts, on-time runs.

The real Application polls the fake Bot API; digest jobs are fired at chosen instants
(``fire``), never waited for.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.scheduling.keys import ScheduleKey
from bot.scheduling.slots import next_slot
from bot.storage import Storage
from tests.e2e.bot_fixtures import GROUP, bot_settings, demo_source
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.schedule_bot import QUIET, digest_jobs, fire, runner_of, running_app

ADMIN = 4242
MEMBER = 4343
CHANNEL = -1_001_234_567_890
BERLIN_DAILY = "digest|daily 08:00|Europe/Berlin"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeBotApi]:
    """A fake Bot API with a supergroup whose admin is ADMIN; fails on any rejected call."""
    fake = FakeBotApi()
    await fake.start()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
    monkeypatch.setenv("TELEGRAM_API_URL", fake.base_url)
    fake.add_chat(GROUP, "supergroup", "Traders")
    fake.admins[GROUP] = {ADMIN}
    yield fake
    await fake.stop()
    assert fake.violations == [], "the bot sent calls Telegram would reject"


async def _say(api: FakeBotApi, chat_id: int, text: str, user_id: int = ADMIN) -> str:
    count = len(api.sent_to(chat_id))
    api.send_text(chat_id, text, user_id=user_id)
    return (await api.wait_sent(chat_id, count + 1))[count].text


async def test_done_when_group_admin_subscribes_and_digest_arrives_after_restart(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    conf = bot_settings(settings, db)
    source = demo_source(settings)
    async with running_app(api, conf, source, db) as app:
        await _say(api, GROUP, "/timezone Europe/Berlin")
        subscribed = await _say(api, GROUP, "/subscribe btc, daily 08:00")
        listing_before = await _say(api, GROUP, "/subscriptions", MEMBER)
        next_before = digest_jobs(app)[BERLIN_DAILY].next_t
    async with running_app(api, conf, source, db) as app:
        listing_after = await _say(api, GROUP, "/subscriptions", MEMBER)
        jobs = digest_jobs(app)
        assert set(jobs) == {BERLIN_DAILY} and jobs[BERLIN_DAILY].next_t == next_before
        key = ScheduleKey.from_texts("daily 08:00", "Europe/Berlin")
        first = next_slot(key.schedule, key.timezone, datetime.now(UTC) + QUIET)
        sent_before = len(api.sent_to(GROUP))
        await fire(app, BERLIN_DAILY, first + timedelta(seconds=2))
        await fire(app, BERLIN_DAILY, first + timedelta(days=1, seconds=2))
    digests = api.sent_to(GROUP)[sent_before:]
    assert "Subscribed <b>#1</b>: BTC digests" in subscribed
    assert listing_after == listing_before
    assert "daily 08:00</code> · next" in listing_after and "CET" in listing_after
    # 08:00 Berlin in November is 07:00 UTC
    assert first.hour == 7 and first.astimezone(ZoneInfo("Europe/Berlin")).hour == 8
    starts = [i for i, d in enumerate(digests) if "Bitcoin" in d.text and "In brief" in d.text]
    assert len(starts) == 2
    # each digest as read: its messages, the "Since the last digest" part included
    first_digest = ["\n\n".join(d.text for d in digests[a:b])
                    for a, b in zip(starts, [*starts[1:], len(digests)], strict=True)]
    assert "Since the last digest" not in first_digest[0]
    local_first = first.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d %b 08:00 CET")
    assert f"Since the last digest</b> <i>({local_first})</i>" in first_digest[1]
    assert "• Price $99,400 → $99,400" in first_digest[1]
    # headline memory: the second digest does not repeat the first one's headline
    assert first_digest[0].splitlines()[0] != first_digest[1].splitlines()[0]


async def test_members_cannot_change_subscriptions_but_anonymous_admins_can(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db):
        refused = [await _say(api, GROUP, text, MEMBER) for text in (
            "/subscribe btc every 4h", "/timezone Asia/Tokyo", "/pause", "/unsubscribe all")]
        count = len(api.sent_to(GROUP))
        api.send_text(GROUP, "/subscribe eth every 4h", anonymous_admin=True)
        [anonymous] = (await api.wait_sent(GROUP, count + 1))[count:]
    storage = await Storage.open(db)
    subs = await storage.subscriptions.of_chat(GROUP)
    zone = await storage.subscriptions.timezone(GROUP)
    await storage.close()
    assert all("Only this group's administrators can use" in r for r in refused)
    assert "<code>/subscribe</code>" in refused[0] and "<code>/timezone</code>" in refused[1]
    assert "Subscribed" in anonymous.text
    assert [s.symbols for s in subs] == [("ETH",)] and zone == "UTC"


async def test_bad_input_gets_clear_replies_and_changes_nothing(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    conf = bot_settings(settings, db)
    conf = conf.model_copy(update={"schedule": conf.schedule.model_copy(
        update={"max_subscriptions_per_chat": 1})})
    async with running_app(api, conf, demo_source(settings), db):
        ok = await _say(api, GROUP, "/subscribe sol every 6h")
        replies = [await _say(api, GROUP, text) for text in (
            "/subscribe btc every 5h", "/subscribe btc daily 25:00", "/timezone Berlinn",
            "/timezone UTC+5:30", "/subscribe doge every 4h", "/subscribe btc every 4h",
            "/unsubscribe 99")]
    storage = await Storage.open(db)
    subs = await storage.subscriptions.of_chat(GROUP)
    zone = await storage.subscriptions.timezone(GROUP)
    await storage.close()
    uneven, bad_time, unknown_zone, offset, unknown_symbol, too_many, unknown_id = replies
    assert "Subscribed" in ok
    assert "does not split a day evenly — did you mean <code>every 4h</code>?" in uneven
    assert "needs a time of day such as 08:00" in bad_time
    assert "did you mean <code>/timezone Europe/Berlin</code>?" in unknown_zone
    assert "is a UTC offset" in offset
    assert ("The offline demo market only simulates BTC, ETH and SOL, so I have no <b>DOGE</b> "
            "data here" in unknown_symbol)
    assert "already has 1 digest subscription, the most I keep" in too_many
    assert "There is no subscription <b>99</b> in this chat. Its ids: 1." in unknown_id
    assert [(s.symbols, s.schedule) for s in subs] == [(("SOL",), "every 6h")]
    assert zone == "UTC"


async def test_unsubscribe_pause_and_resume(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db) as app:
        await _say(api, GROUP, "/subscribe btc,eth every 4h")
        await _say(api, GROUP, "/subscribe sol daily 09:00")
        which = await _say(api, GROUP, "/unsubscribe")
        paused = await _say(api, GROUP, "/pause")
        jobs_paused = set(digest_jobs(app))
        resumed = await _say(api, GROUP, "/resume")
        removed = await _say(api, GROUP, "/unsubscribe 1")
        jobs_left = set(digest_jobs(app))
        removed_all = await _say(api, GROUP, "/unsubscribe all")
        empty = await _say(api, GROUP, "/subscriptions", MEMBER)
        jobs_none = set(digest_jobs(app))
    assert "Which one?" in which and "#1</b> BTC, ETH" in which and "#2</b> SOL" in which
    assert "Digests paused" in paused and "· paused" in paused and jobs_paused == set()
    assert "Digests resumed" in resumed and "· next" in resumed
    assert "Unsubscribed <b>#1</b> (BTC, ETH" in removed
    assert jobs_left == {"digest|daily 09:00|UTC"}
    assert "Removed all 1 digest subscription of this chat" in removed_all
    assert "No digests here yet" in empty and jobs_none == set()


async def test_channel_post_subscribes_the_channel(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db) as app:
        api.channel_post(CHANNEL, "/subscribe eth every 4h")
        [reply] = await api.wait_sent(CHANNEL, 1)
        key = ScheduleKey.from_texts("every 4h", "UTC")
        slot = next_slot(key.schedule, key.timezone, datetime.now(UTC) + QUIET)
        report = await fire(app, key.job_name, slot + timedelta(seconds=1))
    assert "Subscribed <b>#1</b>: ETH digests" in reply.text
    assert report is not None and report.sent == 1
    assert any("Ethereum" in s.text for s in api.sent_to(CHANNEL)[1:])


async def test_forum_topic_subscription_keeps_its_thread(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db) as app:
        message = api._message(GROUP, "/subscribe btc hourly", user_id=ADMIN,
                               message_thread_id=77, is_topic_message=True)
        api.push_raw({"message": message})
        await api.wait_sent(GROUP, 1)
        key = ScheduleKey.from_texts("hourly", "UTC")
        slot = next_slot(key.schedule, key.timezone, datetime.now(UTC) + QUIET)
        await fire(app, key.job_name, slot + timedelta(seconds=1))
    sends = api.method_calls("sendMessage")
    assert "this topic" in sends[0]["text"]
    assert [int(s["message_thread_id"]) for s in sends] == [77] * len(sends)
    assert len(sends) >= 2


async def test_a_new_process_rebuilds_the_same_jobs_and_next_runs(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # the day before Europe's spring shift
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db,
                           clock=now) as app:
        await _say(api, GROUP, "/timezone Europe/Berlin")
        await _say(api, GROUP, "/subscribe btc daily 02:30")
        await _say(api, GROUP, "/subscribe eth every 4h")
        private = 777
        await _say(api, private, "/subscribe sol weekdays 09:30", user_id=private)
        runner = runner_of(app)
        subs = await runner.store.active()
        before = {
            "jobs": sorted(digest_jobs(app)),
            "next_runs": {str(k): v.isoformat() for k, v in runner.next_runs(subs).items()},
        }
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.digest_child", "next-runs", str(db), now.isoformat(),
        cwd=PROJECT_ROOT, env={**os.environ}, stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(child.communicate(), 60)
    after = json.loads(out.decode().strip().splitlines()[-1])
    assert after == before
    assert before["jobs"] == ["digest|daily 02:30|Europe/Berlin", "digest|every 4h|Europe/Berlin",
                              "digest|weekdays 09:30|UTC"]
    # 02:30 does not exist in Berlin on 29 March: it runs at 01:30 UTC (= 03:30 CEST)
    assert before["next_runs"]["1"] == "2026-03-29T03:30:00+02:00"
    assert before["next_runs"]["3"] == "2026-03-30T09:30:00+00:00"
