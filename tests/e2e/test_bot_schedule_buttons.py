"""Scheduled digests carry /digest's buttons, also when re-sent after a crash, and answer
taps and replies from their stored post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.market.demo import DEMO_END
from bot.scheduling.keys import ScheduleKey
from bot.scheduling.slots import next_slot
from bot.storage import Storage
from tests.e2e.bot_fixtures import PRIVATE, api, bot_settings, demo_source
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.schedule_bot import QUIET, fire, running_app

EVERY_4H = ScheduleKey.from_texts("every 4h", "UTC")
CHAT = PRIVATE
__all__ = ["api"]


async def _subscribe(db: Path) -> int:
    storage = await Storage.open(db)
    sub = await storage.subscriptions.add(CHAT, None, ("BTC",), "every 4h")
    await storage.close()
    return sub


def _slot() -> datetime:
    return next_slot(EVERY_4H.schedule, EVERY_4H.timezone, datetime.now(UTC) + QUIET)


async def test_scheduled_digest_has_the_digest_buttons_and_taps_and_replies_work(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    await _subscribe(db)
    source = demo_source(settings)
    source.demo.as_of = DEMO_END - timedelta(hours=6)
    async with running_app(api, bot_settings(settings, db), source, db) as app:
        await fire(app, EVERY_4H.job_name, _slot() + timedelta(seconds=1))
        source.demo.as_of = DEMO_END  # the market moves on after the digest
        digest = api.sent_to(CHAT)
        last = digest[-1]
        label, question = next(b for b in last.buttons if b[1].startswith("q:"))
        api.tap_button(last, question)
        tapped = (await api.wait_sent(CHAT, len(digest) + 1))[-1]
        api.send_text(CHAT, "why bearish?", reply_to=digest[0])
        why = (await api.wait_sent(CHAT, len(digest) + 2))[-1]
        refresh = api.tap_button(last, last.buttons[0][1])
        await api.wait_for(lambda: refresh in api.callback_answers)
    assert [b[0] for b in last.buttons][:2] == ["🔄 Refresh", "📈 Chart 4h"]
    assert all(not part.buttons for part in digest[:-1])  # buttons under the last part only
    assert tapped.text.startswith(f"<b>{label}</b>")
    assert "From my post of 1 Mar 2026, 06:00 UTC" in why.text  # the digest's own numbers
    assert "old post" not in api.callback_answers[refresh].get("text", "")
    assert len([s for s in api.sent_to(CHAT) if "In brief" in s.text]) == 1  # edited, not re-sent


async def test_digest_resent_after_a_crash_keeps_its_buttons(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    sub = await _subscribe(db)
    slot = _slot()
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db) as app:
        service = app.bot_data["market_service"]
        post_id = (await service.published("BTC")).post_id
        # staged, then the process died before sending: only the stored text remains
        await service.storage.outbox.stage([sub], CHAT, None, slot, ["Part one.", "Part two."],
                                           [], [post_id, post_id])
        report = await fire(app, EVERY_4H.job_name, slot + timedelta(seconds=1))
        first, second = api.sent_to(CHAT)
        api.tap_button(second, second.buttons[1][1])
        chart = (await api.wait_sent(CHAT, 3))[-1]
    assert report is not None and report.sent == 1
    assert (first.text, second.text) == ("Part one.", "Part two.")
    assert not first.buttons and second.buttons[0][0] == "🔄 Refresh"
    assert any(data.startswith("q:") for _, data in second.buttons)
    assert chart.photo is not None and chart.text.startswith("<b>BTC 4h</b>")


async def test_a_digest_offers_its_levels_as_alerts_and_one_tap_sets_one(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    await _subscribe(db)
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db) as app:
        await fire(app, EVERY_4H.job_name, _slot() + timedelta(seconds=1))
        last = api.sent_to(CHAT)[-1]
        bells = [(label, data) for label, data in last.buttons if data.startswith("ap:")]
        assert bells, last.buttons
        label, data = bells[0]
        query = api.tap_button(last, data)
        sent = len(api.sent_to(CHAT))
        await api.wait_for(lambda: query in api.callback_answers
                           and len(api.sent_to(CHAT)) == sent + 1)
    level = label.split(" at ")[1].split(" (")[0]
    assert label.startswith("🔔 Alert me at $")
    created = api.sent_to(CHAT)[-1].text
    assert "Alert <b>#1</b> set" in created and "BTC" in created and level in created
