"""Price alerts end to end: the real Application polls the fake Bot API; the demo market is
moved in time and the alert round's job is run at chosen moments (never waited for)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app.alert_round import AlertReport, AlertRound
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.storage import Storage
from bot.telegram.alert_jobs import JOB_NAME, ROUND_KEY
from tests.e2e.bot_fixtures import GROUP, PRIVATE, api, bot_settings, demo_source, run_job, say
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.flaky_source import FlakySource
from tests.fakes.schedule_bot import running_app

__all__ = ["api"]

ADMIN = 4242
MEMBER = 4343
#: Demo BTC: $101,486 at 20:00, $99,912 at 22:00 (through $100k), lower until 06:00 next day.
SET_AT = datetime(2026, 2, 28, 20, tzinfo=UTC)
CROSSED_AT = datetime(2026, 2, 28, 22, tzinfo=UTC)
LATER = datetime(2026, 3, 1, 2, tzinfo=UTC)
BACK_UP = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def group_admin(api: FakeBotApi) -> None:
    """The group of the shared fake Bot API has one administrator, ``ADMIN``."""
    api.admins[GROUP] = {ADMIN}


def _at(source: FlakySource, settings: Settings, when: datetime) -> None:
    source.demo = DemoSource(settings, when)


async def _check(app: Application) -> AlertReport:
    """Run the app's alert job once, as the JobQueue would."""
    round_ = await run_job(app, JOB_NAME, ROUND_KEY)
    assert isinstance(round_, AlertRound) and round_.last_report is not None
    return round_.last_report


async def test_done_when_an_alert_fires_once_and_a_restart_does_not_refire_it(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    conf = bot_settings(settings, db)
    source = demo_source(settings)
    _at(source, settings, SET_AT)
    async with running_app(api, conf, source, db) as app:
        created = await say(api, PRIVATE, "/alert btc 100k")
        before = len(api.sent_to(PRIVATE))
        quiet = await _check(app)
        _at(source, settings, CROSSED_AT)
        crossed = await _check(app)
        _at(source, settings, LATER)
        after = await _check(app)
        fired = api.sent_to(PRIVATE)[before:]
        listing = await say(api, PRIVATE, "/alerts")
    _at(source, settings, BACK_UP)
    async with running_app(api, conf, source, db) as app:
        count = len(api.sent_to(PRIVATE))
        restarted = await _check(app)
        assert len(api.sent_to(PRIVATE)) == count
    assert "Alert <b>#1</b> set" in created and "$101,486 now" in created
    assert "as <b>below</b>" in created
    assert (quiet.fired, crossed.fired, after.fired, restarted.fired) == (0, 1, 0, 0)
    assert crossed.messages == 1 and crossed.symbols == 1
    assert len(fired) == 1
    assert "🔔 <b>BTC</b> dropped below $100,000, now $99,912" in fired[0].text
    assert "No alerts here yet" in listing
    storage = await Storage.open(db)
    alert = await storage.alerts.get(1)
    await storage.close()
    assert alert is not None and (alert.status, alert.fires) == ("fired", 1)


async def test_commands_reply_clearly_and_groups_need_an_admin(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    source = demo_source(settings)
    _at(source, settings, SET_AT)
    async with running_app(api, bot_settings(settings, db), source, db):
        above = await say(api, GROUP, "/alert btc above 110000 for 24h", ADMIN)
        below = await say(api, GROUP, "/alert eth below 2.5k", ADMIN)
        move = await say(api, GROUP, "/alert sol 5%", ADMIN)
        refused = await say(api, GROUP, "/alert btc 90k", MEMBER)
        already = await say(api, GROUP, "/alert btc above 90k", ADMIN)
        junk = await say(api, GROUP, "/alert btc lots", ADMIN)
        listing = await say(api, GROUP, "/alerts", MEMBER)
        which = await say(api, GROUP, "/unalert", ADMIN)
        deleted = await say(api, GROUP, "/unalert 2", ADMIN)
        gone = await say(api, GROUP, "/unalert all", ADMIN)
    assert "trades at or above $110,000" in above and "It expires 1 Mar 2026, 20:00" in above
    assert "Alert <b>#2</b> set" in below and "at or below $2,500" in below
    assert "moves 5% either way" in move
    assert "Only this group's administrators can use <code>/alert</code>" in refused
    assert "already at or above $90,000" in already
    assert "<b>lots</b> is not a price" in junk
    assert listing.count("• ") == 3 and "(3 of 20)" in listing
    assert "Which one?" in which
    assert "Deleted alert <b>#2</b>" in deleted
    assert "Deleted all 2 alerts" in gone


async def test_plain_words_ask_for_an_alert_and_one_tap_confirms_it(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    conf = bot_settings(settings, db)
    source = demo_source(settings)
    _at(source, settings, SET_AT)
    async with running_app(api, conf, source, db) as app:
        api.send_text(PRIVATE, "ping me if btc drops below 100k")
        [ask] = (await api.wait_sent(PRIVATE, 1))[-1:]
        asked, buttons = ask.text, ask.buttons
        query = api.tap_button(ask)
        await api.wait_for(lambda: query in api.callback_answers
                           and api.sent_to(PRIVATE)[0].edits == 1)
        confirmed = api.sent_to(PRIVATE)[0]
        outlook = await say(api, PRIVATE, "set alert btc 100k")
        question = await say(api, PRIVATE, "why bearish?")
        _at(source, settings, CROSSED_AT)
        crossed = await _check(app)
    assert "Set an alert for when <b>BTC</b> trades at or below $100,000?" in asked
    assert buttons == [("🔔 Alert me: BTC ≤ $100,000", "al:btc:b:100000")]
    assert "Alert <b>#1</b> set" in confirmed.text and confirmed.buttons == []
    assert "Now $101,486.\nIt fires once." in confirmed.text
    assert "already watches BTC below $100,000" in outlook
    assert "Alert" not in question and "alert" not in question
    assert (crossed.fired, crossed.messages) == (1, 1)
    assert api.sent_to(PRIVATE)[-1].text.startswith("🔔 <b>BTC</b> dropped below $100,000")


async def test_alert_me_under_a_levels_post_sets_the_level_in_one_tap(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    source = demo_source(settings)
    _at(source, settings, SET_AT)
    async with running_app(api, bot_settings(settings, db), source, db):
        api.send_text(PRIVATE, "/levels btc")
        [post] = await api.wait_sent(PRIVATE, 1)
        text_before = post.text
        alert_buttons = [(label, data) for label, data in post.buttons
                         if data.startswith("ap:")]
        assert alert_buttons, post.buttons
        label, data = alert_buttons[0]
        query = api.tap_button(post, data)
        await api.wait_for(lambda: query in api.callback_answers
                           and len(api.sent_to(PRIVATE)) == 2)
        listing = await say(api, PRIVATE, "/alerts")
    created = api.sent_to(PRIVATE)[1].text
    level = label.split(" at ")[1].split(" (")[0]
    assert label.startswith("🔔 Alert me at $") and len(data.encode()) <= 64
    assert "Alert <b>#1</b> set" in created and level in created
    assert api.sent_to(PRIVATE)[0].text == text_before and post.edits == 0
    assert f"BTC below {level}" in listing or f"BTC above {level}" in listing


async def test_a_tap_in_a_group_is_the_tapping_users_own_alert_sent_privately(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    stranger = 9_999
    api.add_chat(MEMBER, "private")
    source = demo_source(settings)
    _at(source, settings, SET_AT)
    async with running_app(api, bot_settings(settings, db), source, db) as app:
        api.send_text(GROUP, "/levels btc", user_id=MEMBER)
        [post] = await api.wait_sent(GROUP, 1)
        data = next(d for _, d in post.buttons if d.startswith("ap:"))
        started = api.tap_button(post, data, user_id=MEMBER)
        await api.wait_for(lambda: started in api.callback_answers
                           and len(api.sent_to(MEMBER)) == 1)
        unknown = api.tap_button(post, data, user_id=stranger)
        await api.wait_for(lambda: unknown in api.callback_answers)
        _at(source, settings, BACK_UP)
        await _check(app)
    storage = await Storage.open(db)
    mine = await storage.alerts.of_chat(MEMBER)
    theirs = await storage.alerts.of_chat(stranger)
    group = await storage.alerts.of_chat(GROUP)
    await storage.close()
    assert "Alert <b>#1</b> set" in api.sent_to(MEMBER)[0].text
    assert api.callback_answers[started]["text"].startswith("Alert set: I'll message you")
    hint = api.callback_answers[unknown]
    assert hint["show_alert"] and "press Start" in hint["text"]
    # still active, or fired into the member's private chat by the round at BACK_UP
    assert len(mine) == 1 or "🔔 <b>BTC</b>" in api.sent_to(MEMBER)[-1].text
    assert theirs == [] and group == []
    assert len(api.sent_to(GROUP)) == 1  # the group saw nothing but the post
    # the one refusal: a user who never started the bot (real Telegram: 403 Forbidden)
    assert api.violations == ["sendMessage: Bad Request: chat not found"]
    api.violations.clear()
