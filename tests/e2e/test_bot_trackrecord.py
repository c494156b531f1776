"""The real bot on replayed BTC data: posts published on 1 March 2026, the bot stopped, a new
one started on the same database on 9 March, and /trackrecord shows the calls graded.

Expected figures, from ``BTCUSDT_1h_binance-spot_2026-01-27_2026-07-26.csv``: the post's
price is the close of the 11:00 bar of 1 March ($66,468.03); 24 hours on, the 2 March 11:00
bar closed at $66,359.68 (−0.16%); 7 days on, the 8 March 11:00 bar closed at $67,515.00
(+1.58%).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.market.replay import ReplaySource
from bot.scheduling.keys import ScheduleKey
from bot.scheduling.slots import next_slot
from bot.storage import Storage
from bot.telegram.handlers.trackrecord import GRADING_JOB
from tests.conftest import shared_data_or_skip
from tests.e2e.bot_fixtures import GROUP, PRIVATE, api, bot_settings, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.schedule_bot import QUIET, fire, running_app

__all__ = ["api"]

POSTED = datetime(2026, 3, 1, 12, tzinfo=UTC)
WEEK_LATER = datetime(2026, 3, 9, 12, tzinfo=UTC)


async def test_trackrecord_shows_the_calls_graded_after_a_restart_a_week_later(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    conf = bot_settings(settings, tmp_path / "db")
    source = ReplaySource(shared_data_or_skip(), POSTED, settings)
    async with running_bot(api, conf, source):
        api.send_text(PRIVATE, "/btc")
        api.send_text(GROUP, "/btc")
        await api.wait_sent(GROUP, 1)
        api.send_text(PRIVATE, "/digest btc")
        await api.wait_sent(PRIVATE, 2)
        api.send_text(PRIVATE, "/trackrecord btc")
        waiting = (await api.wait_sent(PRIVATE, 3))[2]
        api.send_text(GROUP, "/trackrecord xyz")
        unknown = (await api.wait_sent(GROUP, 2))[1]
    async with running_bot(api, conf, source.at_time(WEEK_LATER)):
        api.send_text(PRIVATE, "/trackrecord BTC")
        graded = (await api.wait_sent(PRIVATE, 4))[3]
        api.send_text(PRIVATE, "/help")
        help_ = (await api.wait_sent(PRIVATE, 5))[4]
        api.send_text(PRIVATE, "/digest btc")
        await api.wait_for(lambda: len(api.sent_to(PRIVATE)) > 5
                           and bool(api.sent_to(PRIVATE)[-1].buttons))
        article_end = api.sent_to(PRIVATE)[-1]

    # three posts in two chats made two calls (24h and 7d), not six
    assert "No call has been graded yet: 2 calls are waiting" in waiting.text
    assert "The first comes due 2 Mar 2026, 12:00 UTC." in waiting.text
    assert "I don't cover <b>XYZ</b>" in unknown.text

    assert "<b>Track record · BTC</b>" in graded.text
    assert "2 graded." in graded.text
    counted = " · 1 day graded (the first call of a day counts)\nStated odds right: "
    assert "<b>24h calls</b>" + counted + "0 of 1" in graded.text
    assert "<b>7d calls</b>" + counted + "1 of 1" in graded.text
    assert "momentum 1 of 1 (100%, 95% interval 21–100%)" in graded.text
    assert ("BTC 1 Mar 2026, 12:00 UTC at $66,468, 7d: 53% chance of higher → $67,515 "
            "(+1.58%), ✅ odds right") in graded.text
    assert ("BTC 1 Mar 2026, 12:00 UTC at $66,468, 24h: 51% chance of higher → $66,360 "
            "(−0.16%), ❌ odds wrong") in graded.text
    assert "/trackrecord BTC</code> — How past calls fared, graded" in help_.text
    assert ("<i>Track record: the stated 7d odds were right on 1 of 1 days graded (100%); "
            "always up: 1 of 1. More: /trackrecord BTC</i>") in article_end.text


async def test_a_scheduled_digest_records_its_calls_and_the_grading_job_grades_them(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    storage = await Storage.open(db)
    await storage.subscriptions.add(GROUP, None, ("BTC",), "every 4h")
    await storage.close()
    every_4h = ScheduleKey.from_texts("every 4h", "UTC")
    slot = next_slot(every_4h.schedule, every_4h.timezone, datetime.now(UTC) + QUIET)
    source = ReplaySource(shared_data_or_skip(), POSTED, settings)
    async with running_app(api, bot_settings(settings, db), source, db) as app:
        report = await fire(app, every_4h.job_name, slot + timedelta(seconds=1))
        api.send_text(PRIVATE, "/trackrecord")
        [waiting] = await api.wait_sent(PRIVATE, 1)
        source.at = WEEK_LATER  # a week on, while the bot keeps running
        assert app.job_queue is not None
        [job] = app.job_queue.get_jobs_by_name(GRADING_JOB)
        await job.run(app)
        api.send_text(PRIVATE, "/trackrecord")
        graded = (await api.wait_sent(PRIVATE, 2))[1]
        before = len(api.sent_to(GROUP))
        await fire(app, every_4h.job_name, slot + timedelta(hours=4, seconds=1))
        later_digest = api.sent_to(GROUP)[before:]

    assert report is not None and report.sent == 1
    assert "No call has been graded yet: 2 calls are waiting" in waiting.text
    assert "<b>Track record · all coins</b>" in graded.text
    assert "2 graded." in graded.text
    assert "24h: 51% chance of higher → $66,360 (−0.16%), ❌ odds wrong" in graded.text
    assert later_digest and "Track record: the stated 7d odds were right on 1 of 1 days " \
        "graded (100%)" in later_digest[-1].text
