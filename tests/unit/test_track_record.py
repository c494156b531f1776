"""The live track record: calls stored once, graded when due, kept across restarts, summarised."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from bot.app.codec import ANALYSIS_CODEC
from bot.app.service import MarketService
from bot.app.trackrecord import TEMPLATE, grade_due, track_record
from bot.commentary.render import render_template
from bot.config import Settings
from bot.evidence.model import Call, Outcome, Row
from bot.evidence.records import CallBook
from bot.market.demo import DemoSource
from bot.market.models import CandleSeries, MarketSnapshot, ms_from_utc
from bot.storage import Storage

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR_MS = 3_600_000


def book(storage: Storage) -> CallBook:
    """The track record's calls over ``storage``."""
    return CallBook(storage.calls)


def _row(as_of: datetime = T0, horizon: timedelta = DAY, probability: float = 0.6,
         momentum: str = "up", outcome: Outcome | None = None) -> Row:
    call = Call(symbol="BTC", as_of=as_of, price=100.0, horizon=horizon, probability=probability,
                base_rate=0.5, low_price=95.0, high_price=105.0, bias="bullish",
                momentum="up" if momentum == "up" else "down")
    return Row(call=call, outcome=outcome, bias_score=0.4, bias_label="bullish",
               setup="uptrend", samples=120, edge=None, view="bullish")


def _outcome(price: float) -> Outcome:
    return Outcome(price=price, change_pct=price - 100.0, up=price > 100.0, max_up_pct=2.0,
                   max_down_pct=-2.0, in_range=True, touched=(), first_level=None)


async def _graded_record(db: Path, rows: list[Row], price_after: float) -> str:
    """/trackrecord BTC (text) once every row was stored and graded at ``price_after``."""
    store = await Storage.open(db)
    try:
        await book(store).record(rows)
        for stored in await book(store).due("BTC", T0 + 30 * DAY):
            await book(store).settle(stored.id, _outcome(price_after))
        return render_template(TEMPLATE, "text", record=await track_record(book(store), "BTC"))
    finally:
        await store.close()


class PathSource:
    """A market source whose BTC snapshot holds 1h candles from ``start`` (close 100 → last)."""

    def __init__(self, start: datetime, hours: int, last: float,
                 as_of: datetime | None = None) -> None:
        times = [ms_from_utc(start) + i * HOUR_MS for i in range(hours)]
        closes = [100.0] * (hours - 1) + [last]
        self.series = CandleSeries.from_arrays(
            "1h", times, closes, [c + 1 for c in closes], [c - 1 for c in closes], closes,
            np.ones(hours))
        self.as_of = as_of or start + timedelta(hours=hours)
        self.snapshots = 0

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        self.snapshots += 1
        return MarketSnapshot(symbol=symbol, as_of=self.as_of, source="replay",
                              candles=MappingProxyType({"1h": self.series}))

    async def close(self) -> None:
        """Nothing to release."""


async def test_a_post_seen_by_many_chats_stores_each_call_once(tmp_path: Path) -> None:
    store = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        rows = [_row(), _row(horizon=7 * DAY)]
        first = await book(store).record(rows)
        again = await book(store).record(rows)
        counts = await book(store).counts("BTC")
    finally:
        await store.close()
    assert (first, again) == (2, 0)
    assert counts == {"pending": 2, "graded": 0, "ungradable": 0}


async def test_a_due_call_is_graded_and_its_outcome_is_there_after_reopening(
    tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    store = await Storage.open(db)
    try:
        await book(store).record([_row(), _row(horizon=7 * DAY)])
        report = await grade_due(PathSource(T0, 30, 103.0), book(store))
    finally:
        await store.close()
    reopened = await Storage.open(db)
    try:
        record = await track_record(book(reopened), "BTC")
    finally:
        await reopened.close()
    assert (report.graded, report.ungradable) == (1, 0)  # the 7d call is not due yet
    assert record.graded == 1 and record.pending == 1
    assert record.next_due == T0 + 7 * DAY
    [recent] = record.recent
    assert recent.outcome.price == 100.0  # the close of the bar ending 24h after the call
    assert recent.right is False  # 60% for higher, and it ended level


async def test_a_call_older_than_the_candles_is_marked_ungradable_and_not_retried(
    tmp_path: Path
) -> None:
    store = await Storage.open(tmp_path / "bot.sqlite3")
    source = PathSource(T0 + 10 * DAY, 300, 100.0)  # candles begin long after the call
    try:
        await book(store).record([_row()])
        first = await grade_due(source, book(store))
        second = await grade_due(source, book(store))
        counts = await book(store).counts()
    finally:
        await store.close()
    assert first.ungradable == 1
    assert second.ungradable == 0 and source.snapshots == 1  # nothing pending: no fetch
    assert counts["ungradable"] == 1


async def test_a_call_due_in_a_bar_that_has_not_closed_waits(tmp_path: Path) -> None:
    store = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        await book(store).record([_row()])
        lagging = PathSource(T0, 23, 100.0, as_of=T0 + DAY)  # the last hour not yet in
        report = await grade_due(lagging, book(store))
        counts = await book(store).counts()
    finally:
        await store.close()
    assert (report.graded, report.ungradable, report.waiting) == (0, 0, 1)
    assert counts["pending"] == 1


async def test_the_record_sets_the_stated_odds_beside_momentum_and_always_up(
    tmp_path: Path
) -> None:
    rows = [_row(as_of=T0 + i * DAY, momentum="up" if i < 4 else "down") for i in range(10)]
    text = await _graded_record(tmp_path / "bot.sqlite3", rows, 101.0)
    assert "24h calls · 10 days graded" in text
    assert "Stated odds right: 10 of 10 (100%, 95% interval 72–100%)" in text
    assert "momentum 4 of 10 (40%" in text
    assert "always up 10 of 10" in text
    # 60% stated each time, every call ended higher: (0.4)² = 0.16 against 0.25 for 50%
    assert "Brier score 0.16, climatology 0.25: skill +36% vs climatology" in text
    assert "BTC 10 Mar 2026, 12:00 UTC at $100.00, 24h: 60% chance of higher → $101.00 " \
           "(+1%), ✅ odds right" in text


async def test_before_any_grading_the_record_says_when_the_first_call_comes_due(
    tmp_path: Path
) -> None:
    store = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        empty = render_template(TEMPLATE, "text", record=await track_record(book(store), None))
        await book(store).record([_row(), _row(horizon=7 * DAY)])
        waiting = render_template(TEMPLATE, "text",
                                  record=await track_record(book(store), "BTC"))
    finally:
        await store.close()
    assert "No calls recorded yet" in empty
    assert "No call has been graded yet: 2 calls are waiting" in waiting
    assert "The first comes due 2 Mar 2026, 12:00 UTC." in waiting


async def test_calls_without_stated_odds_are_not_scored_as_right_or_wrong(
    tmp_path: Path
) -> None:
    text = await _graded_record(tmp_path / "bot.sqlite3", [_row(probability=0.5)], 99.0)
    assert "Stated odds right: none to score" in text
    assert "momentum 0 of 1" in text
    assert "50% chance of higher → $99.00 (−1%), not scored" in text


async def test_posts_minutes_apart_on_one_day_count_once(tmp_path: Path) -> None:
    minutes = [_row(as_of=T0 + timedelta(minutes=m)) for m in (0, 5, 30)]
    text = await _graded_record(tmp_path / "bot.sqlite3", [*minutes, _row(as_of=T0 + DAY)],
                                101.0)
    assert "4 graded." in text
    assert "24h calls · 2 days graded" in text
    assert "Stated odds right: 2 of 2" in text


async def test_posts_are_still_produced_when_their_calls_cannot_be_stored(
    tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "bot.sqlite3"
    await (await Storage.open(db)).close()
    with sqlite3.connect(db) as conn:  # a broken table: every call query fails
        conn.execute("DROP TABLE calls")
    store = await Storage.open(db, codec=ANALYSIS_CODEC)
    try:
        service = MarketService(settings, DemoSource(settings), store, flavour="text")
        quick = await service.post("BTC", "quick")
        article = await service.post("BTC", "digest")
    finally:
        await store.close()
    assert quick.messages[0].startswith("BTC $")
    assert "Track record" not in article.messages[-1]
    assert "calls of BTC not recorded" in caplog.text
    assert "track record of BTC not cited" in caplog.text
