"""/trackrecord btc chart through the real bot and the fake Bot API: the honest text while
few calls are graded, then one picture, sent again by its file_id until the record changes."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.evidence.model import Row
from bot.storage import Storage
from tests.e2e.bot_fixtures import GROUP, PRIVATE, api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.unit.test_record_chart import PNG_MAGIC, store_graded, twenty_calls

__all__ = ["api"]


async def _store(db: Path, rows: list[Row]) -> None:
    storage = await Storage.open(db)
    try:
        await store_graded(storage, rows)
    finally:
        await storage.close()


async def test_trackrecord_chart_says_how_few_calls_are_graded_then_sends_the_picture(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    conf = bot_settings(settings, db)
    await _store(db, twenty_calls()[:9])
    async with running_bot(api, conf, demo_source(settings)):
        api.send_text(PRIVATE, "/trackrecord btc chart")
        [few] = await api.wait_sent(PRIVATE, 1)
    await _store(db, twenty_calls()[9:])
    async with running_bot(api, conf, demo_source(settings)):
        api.send_text(PRIVATE, "/trackrecord BTC chart")
        picture = (await api.wait_sent(PRIVATE, 2))[1]
        api.send_text(GROUP, "/trackrecord chart btc")
        [again] = await api.wait_sent(GROUP, 1)
        api.send_text(PRIVATE, "/trackrecord btc")
        text = (await api.wait_sent(PRIVATE, 3))[2]
        api.send_text(GROUP, "/trackrecord xyz chart")
        unknown = (await api.wait_sent(GROUP, 2))[1]

    assert few.photo is None
    assert "No picture yet: only 9 calls graded so far" in few.text
    assert "fewer than 10 would show more confidence than the record holds" in few.text
    assert picture.photo is not None and picture.photo.startswith(PNG_MAGIC)
    assert picture.text.startswith("<b>Track record · BTC · 24h calls</b>\n20 graded calls "
                                   "(the first of each day), 1 Mar 2026 – 20 Mar 2026.")
    assert again.by_file_id and again.file_id == picture.file_id
    assert again.text == picture.text
    assert text.photo is None and "<b>24h calls</b> · 20 days graded" in text.text
    assert unknown.photo is None and "I don't cover <b>XYZ</b>" in unknown.text
