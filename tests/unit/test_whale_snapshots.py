"""Hyperliquid whale snapshot JSON → WhaleBook."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import ReplayDataError
from bot.market.whale_snapshots import read_whale_snapshot, whale_book_from_json
from tests.fakes.samples import ALICE, BOB, snapshot_doc


def test_traders_are_deduplicated_with_their_own_positions() -> None:
    book = whale_book_from_json(snapshot_doc(), {})

    assert book.as_of == datetime(2026, 2, 4, 10, 54, 22, 307521, tzinfo=UTC)
    assert book.source == "hyperliquid"
    assert [t.address for t in book.traders] == [ALICE, BOB.lower()]
    alice, bob = book.traders
    assert alice.label == "alice"
    assert [(p.coin, p.side) for p in alice.positions] == [("BTC", "short")]
    assert [(p.coin, p.side) for p in bob.positions] == [("ETH", "long"), ("BTC", "short")]
    assert bob.account_value == 2_500_000.5
    assert book.previous is None


def test_string_numbers_become_floats_and_directions_become_sides() -> None:
    book = whale_book_from_json(snapshot_doc(), {})

    eth, btc = book.ranked_positions
    assert (eth.coin, eth.side, eth.size, eth.notional_usd) == ("ETH", "long", 100.0, 230_000.0)
    assert (eth.entry_price, eth.unrealized_pnl, eth.liquidation_price) == (2500.0, -20_000.0, None)
    assert eth.address == BOB.lower()
    assert (btc.side, btc.entry_price, btc.liquidation_price) == ("short", 80_000.5, 95_000.1)


def test_configured_labels_win_over_display_names() -> None:
    book = whale_book_from_json(snapshot_doc(), {BOB.lower(): "big bob", ALICE: "the alice"})

    assert [t.label for t in book.traders] == ["the alice", "big bob"]
    assert {p.label for p in book.ranked_positions} == {"big bob", "the alice"}


def test_a_broken_file_is_reported_by_name(tmp_path: Path) -> None:
    path = tmp_path / "whales.json"
    path.write_text('{"lastUpdated": ')
    with pytest.raises(ReplayDataError, match=r"whales\.json: cannot read whale snapshot"):
        read_whale_snapshot(path, {})

    path.write_text(json.dumps({"whaleTracker": {}}))
    with pytest.raises(ReplayDataError, match=r"whales\.json: not a Hyperliquid whale snapshot"):
        read_whale_snapshot(path, {})


def test_a_real_snapshot_reads_every_trader_and_ranked_position(shared_data: Path) -> None:
    path = next((shared_data / "hyperliquid" / "whale_snapshots").glob("*2026-02-04T10-54*.json"))
    raw = json.loads(path.read_text())
    tracker = raw["whaleTracker"]
    addresses = {t["address"].lower() for t in tracker["daily"] + tracker["weekly"]}

    book = read_whale_snapshot(path, {"0x94d3735543ecb3d339064151118644501c933814": "ETH whale"})

    assert {t.address for t in book.traders} == addresses
    assert len(book.ranked_positions) == len(tracker["biggestPositions"])
    top = book.ranked_positions[0]
    assert (top.coin, top.side, top.label) == ("ETH", "long", "ETH whale")
    assert top.entry_price == float(tracker["biggestPositions"][0]["entryPx"])
