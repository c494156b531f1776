"""The track record's picture: calibration bins and hit rates computed from graded calls,
drawn as one PNG; too few graded calls give no picture."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.record_picture import RecordPictures
from bot.commentary.record_chart import record_chart
from bot.evidence.model import Call, Outcome, Row
from bot.evidence.picture import bin_count, busiest_horizon, calibration, record_figures
from bot.evidence.records import CallBook
from bot.storage import Storage

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def graded(day: int, probability: float, up: bool, momentum: str = "up",
           horizon: timedelta = DAY) -> Row:
    """A call made ``day`` days after T0 stating ``probability``, graded ``up`` or not."""
    call = Call(symbol="BTC", as_of=T0 + day * DAY, price=100.0, horizon=horizon,
                probability=probability, base_rate=0.5, low_price=95.0, high_price=105.0,
                bias="bullish", momentum="up" if momentum == "up" else "down")
    price = 101.0 if up else 99.0
    outcome = Outcome(price=price, change_pct=price - 100.0, up=up, max_up_pct=2.0,
                      max_down_pct=-2.0, in_range=True, touched=(), first_level=None)
    return Row(call=call, outcome=outcome, bias_score=0.4, bias_label="bullish",
               setup="uptrend", samples=120, edge=None, view="bullish")


async def store_graded(storage: Storage, rows: list[Row]) -> None:
    """Record ``rows`` as published calls and settle each with its outcome."""
    book = CallBook(storage.calls)
    await book.record(rows)
    outcomes = {(r.call.as_of, r.call.horizon): r.outcome for r in rows}
    for stored in await book.due("BTC", T0 + 400 * DAY):
        key = (stored.call.as_of, stored.call.horizon)
        if key in outcomes:
            await book.settle(stored.id, outcomes[key])


def twenty_calls() -> list[Row]:
    """Ten calls at 40% of which 3 went up, ten at 70% of which 8 went up (oldest first).

    The 70% calls come first and all say up; momentum says down on every call.
    """
    rows = [graded(i, 0.7, i < 8, momentum="down") for i in range(10)]
    rows += [graded(10 + i, 0.4, i < 3, momentum="down") for i in range(10)]
    return rows


def test_twenty_graded_calls_at_two_odds_make_two_bins_with_their_observed_shares() -> None:
    figures = record_figures(twenty_calls(), "BTC")
    assert figures is not None
    assert figures.calls == 20 and figures.horizon == "24h"
    assert (figures.start, figures.end) == (T0, T0 + 19 * DAY)
    # four bins of five would split each probability in two: equal odds share one bin
    assert [b.calls for b in figures.bins] == [10, 10]
    assert [(b.low, b.high) for b in figures.bins] == [(0.4, 0.4), (0.7, 0.7)]
    assert [b.observed for b in figures.bins] == [0.3, 0.8]
    low, high = figures.bins[0].interval
    assert low == pytest.approx(0.1078, abs=1e-4) and high == pytest.approx(0.6032, abs=1e-4)


def test_twenty_distinct_odds_make_four_bins_of_five() -> None:
    bins = calibration([(0.30 + i / 50, i % 4 == 0) for i in range(20)])
    assert [b.calls for b in bins] == [5, 5, 5, 5]
    assert [round(b.stated, 2) for b in bins] == [0.34, 0.44, 0.54, 0.64]
    assert [b.observed for b in bins] == [0.4, 0.2, 0.2, 0.2]


def test_the_hit_rate_line_is_cumulative_beside_momentum_and_always_up() -> None:
    figures = record_figures(twenty_calls(), "BTC")
    assert figures is not None
    line = figures.timeline
    assert len(line) == 20
    # day 0: a 70% call that went up; momentum said down
    assert (line[0].stated, line[0].momentum, line[0].always_up) == (1.0, 0.0, 1.0)
    # after the ten 70% calls: 8 right, momentum 2 right, 8 went up
    assert (line[9].stated, line[9].momentum, line[9].always_up) == (0.8, 0.2, 0.8)
    # after all twenty: 8 + 7 right (40% calls said down, 7 fell); momentum 2 + 7; up 11
    assert (line[19].stated, line[19].momentum, line[19].always_up) == (0.75, 0.45, 0.55)


def test_twenty_calls_draw_one_png() -> None:
    chart = record_chart(twenty_calls(), "BTC")
    assert chart.figures is not None and chart.png is not None
    assert chart.png.startswith(PNG_MAGIC)
    assert len(chart.png) > 10_000


def test_nine_graded_calls_give_no_picture() -> None:
    chart = record_chart(twenty_calls()[:9], "BTC")
    assert chart.figures is None and chart.png is None


def test_the_picture_takes_the_horizon_with_most_graded_calls() -> None:
    rows = [graded(i, 0.6, True, horizon=WEEK) for i in range(12)]
    rows += [graded(i, 0.6, True) for i in range(11)]
    assert busiest_horizon(rows) == WEEK
    figures = record_figures(rows, None)
    assert figures is not None and figures.horizon == "7d" and figures.calls == 12
    assert record_figures(rows, None, DAY) is not None
    assert record_figures(rows[:12] + rows[12:20], None, DAY) is None


def test_a_probability_stated_twelve_times_fills_one_bin_and_no_bin_holds_under_five() -> None:
    bins = calibration([(0.5, i < 6) for i in range(12)]
                       + [((60 + i) / 100, True) for i in range(8)])
    assert [(b.low, b.high, b.calls) for b in bins] == [(0.5, 0.5, 12), (0.6, 0.67, 8)]
    assert [b.observed for b in bins] == [0.5, 1.0]


def test_bins_are_deciles_at_most_and_hold_five_calls_at_least() -> None:
    assert [bin_count(n) for n in (10, 14, 15, 49, 50, 500)] == [2, 2, 3, 9, 10, 10]
    bins = calibration([(i / 100, i % 2 == 0) for i in range(100)])
    assert len(bins) == 10 and all(b.calls == 10 for b in bins)
    assert (bins[0].low, bins[0].high, bins[-1].low, bins[-1].high) == (0.0, 0.09, 0.9, 0.99)


async def test_the_picture_is_drawn_once_per_record_and_again_when_a_call_is_graded(
    tmp_path: Path
) -> None:
    storage = await Storage.open(tmp_path / "calls.sqlite3")
    try:
        pictures = RecordPictures(CallBook(storage.calls))
        await store_graded(storage, twenty_calls()[:9])
        few = await pictures.picture("BTC")
        await store_graded(storage, twenty_calls()[9:])
        first = await pictures.picture("BTC")
        again = await pictures.picture("BTC")
        await store_graded(storage, [graded(30, 0.6, True)])
        newer = await pictures.picture("BTC")
    finally:
        await storage.close()
    assert few.chart.png is None and few.calls == 9
    assert first is again and first.key[1][0] == 20
    assert first.chart.figures is not None and first.chart.figures.calls == 20
    assert newer.key[1] == (21, newer.key[1][1]) and newer.key[1][1] > first.key[1][1]
    assert newer.chart.figures is not None and newer.chart.figures.calls == 21
    assert pictures.renders == 2  # the 9-call record draws nothing; a cache hit neither
