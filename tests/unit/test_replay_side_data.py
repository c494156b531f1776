"""Replay of whale snapshots and recorded snapshots: which observation is seen when."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.errors import MissingReason
from bot.market.models import VenueDerivatives, WhaleBook
from bot.market.recording import write_snapshot
from bot.market.replay import ReplaySource
from tests.fakes.replay_data import START, write_market
from tests.fakes.samples import full_snapshot, snapshot_doc

HOUR = timedelta(hours=1)


def _iso(hours: float) -> str:
    return (START + hours * HOUR).isoformat().replace("+00:00", "Z")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_market(tmp_path)
    whales = tmp_path / "hyperliquid"
    whales.mkdir()
    for hours in (50, 30, 70):  # written out of order on purpose
        (whales / f"whales_{hours}.json").write_text(json.dumps(snapshot_doc(_iso(hours))))
    return tmp_path


async def _whales(folder: Path, settings, hours: float) -> WhaleBook | None:
    snap = await ReplaySource(folder, START + hours * HOUR, settings).snapshot("BTC")
    return snap.whales


async def test_the_latest_whale_snapshot_at_or_before_the_time_is_used(folder, settings) -> None:
    book = await _whales(folder, settings, 60)

    assert book is not None
    assert book.as_of == START + 50 * HOUR
    assert book.previous is not None
    assert book.previous.as_of == START + 30 * HOUR
    assert book.previous.previous is None
    assert [t.address for t in book.traders] == [t.address for t in book.previous.traders]


async def test_a_snapshot_taken_exactly_at_the_time_is_visible(folder, settings) -> None:
    book = await _whales(folder, settings, 70)
    assert book is not None
    assert book.as_of == START + 70 * HOUR


async def test_no_whales_before_the_first_snapshot_or_long_after_the_last(
    folder, settings
) -> None:
    assert await _whales(folder, settings, 29) is None
    assert await _whales(folder, settings, 70 + 25) is None


async def test_a_recording_supplies_derivatives_and_newer_whales(folder, settings) -> None:
    recorded = replace(full_snapshot(START + 55 * HOUR), source="live")
    later = replace(full_snapshot(START + 65 * HOUR), derivatives=())
    with (folder / "record.jsonl").open("w") as fp:
        write_snapshot(fp, recorded)
        write_snapshot(fp, later)

    snap = await ReplaySource(folder, START + 60 * HOUR, settings).snapshot("BTC")

    (okx,) = snap.derivatives
    assert isinstance(okx, VenueDerivatives)
    assert (okx.venue, okx.open_interest_usd, okx.long_short_ratio) == ("okx", 3.1e9, 1.2)
    assert [m.reason for m in snap.missing_for("okx")] == [MissingReason.NOT_OFFERED]
    assert snap.whales is not None
    assert snap.whales.as_of == START + 55 * HOUR - timedelta(minutes=5)
    assert snap.whales.previous is not None
    assert snap.whales.previous.as_of == START + 50 * HOUR
    assert snap.ticker is not None
    assert snap.ticker.timestamp == START + 60 * HOUR
