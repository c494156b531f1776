"""Whale diffs on the real Hyperliquid snapshots of 2026-02-04 10:54 → 14:30 → 19:54.

Expected values were read by hand from the traders' own position lists in the raw JSON
(``whaleTracker.daily``/``weekly``) and the ranked ``biggestPositions`` list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analysis.model import WhaleAnalysis
from bot.analysis.whales import analyse_whales
from bot.config import Settings
from bot.market.models import WhaleBook, WhalePosition, WhaleTrader
from tests.unit.analysis_data import at, own_position, replay_snapshot, whale_json

ECB = "0xecb63caa47c7c4e77f60f1ce858cf28dc2b82b00"
DF7 = "0xdf783e48b2ebd7d35ba44c83315f6b3dbaa38fea"
AEA = "0xaea8e3bd369217cc6e3e6abddf0da318fba8e59b"
F9F = "0x9f078f7a29d4d5784a28f5b6e42378a4ad7b16eb"
E11 = "0x11eee9bfac3f458a4a9fb8a6d9fa895e31abd958"
FOLHAS = "0x74da055d4ccf9dca3f15789c603e1a88a1d2d81f"


def whales_at(data: Path, settings: Settings, when: str) -> WhaleAnalysis:
    analysis = analyse_whales(replay_snapshot(data, settings, when).whales, "BTC")
    assert analysis is not None
    return analysis


def change_of(w: WhaleAnalysis, address: str) -> tuple[str, str, float, float] | None:
    found = [c for c in w.changes if c.address == address]
    if not found:
        return None
    c = found[0]
    return c.kind, c.side, c.notional_usd, c.previous_notional_usd


def rank_move_of(w: WhaleAnalysis, address: str) -> tuple[str, bool | None] | None:
    found = [m for m in w.rank_moves if m.address == address]
    return (found[0].kind, found[0].still_open) if found else None


def test_first_interval_changes_follow_each_traders_own_list(
    shared_data: Path, settings: Settings
) -> None:
    w = whales_at(shared_data, settings, "2026-02-04T14:31:00Z")
    assert w.previous_as_of is not None and w.previous_as_of.hour == 10
    assert change_of(w, ECB) == ("increased", "long", pytest.approx(7_412_365.87434),
                                 pytest.approx(1_152_254.66985))
    assert change_of(w, DF7) == ("closed", "long", 0.0, pytest.approx(6_098_800.0))
    assert change_of(w, AEA) == ("reduced", "long", pytest.approx(1_104_112.37574),
                                 pytest.approx(3_249_579.58))
    assert change_of(w, F9F) == ("opened", "short", pytest.approx(3_141_305.26544), 0.0)


def test_leaving_the_ranked_list_is_not_reported_as_closing(
    shared_data: Path, settings: Settings
) -> None:
    w = whales_at(shared_data, settings, "2026-02-04T14:31:00Z")
    # 0xaea8… dropped out of the top-200 list but still holds a (smaller) BTC long.
    assert rank_move_of(w, AEA) == ("left_ranking", True)
    assert rank_move_of(w, DF7) == ("left_ranking", False)
    # 0x11ee… appears ranked at 14:30 but was in no trader list at 10:54: no "opened".
    assert rank_move_of(w, E11) == ("entered_ranking", True)
    assert change_of(w, E11) is None


def test_second_interval_flip_close_and_open(shared_data: Path, settings: Settings) -> None:
    w = whales_at(shared_data, settings, "2026-02-04T19:55:00Z")
    assert change_of(w, ECB) == ("flipped", "short", pytest.approx(7_817_292.82089),
                                 pytest.approx(7_412_365.87434))
    assert change_of(w, E11) == ("closed", "short", 0.0, pytest.approx(7_525_800.0))
    assert rank_move_of(w, E11) == ("left_ranking", False)
    opened = [c for c in w.changes if c.address == FOLHAS]
    assert [(c.kind, c.side, c.label) for c in opened] == [("opened", "long", "folhas99")]
    assert opened[0].notional_usd == pytest.approx(11_082_600.0)
    # 0x9f07… is in no trader list at 19:54: nothing can be said about its position.
    assert change_of(w, F9F) is None
    assert change_of(w, AEA) is not None and change_of(w, AEA)[0] == "increased"  # type: ignore[index]


def test_largest_positions_carry_leverage_and_liquidation(
    shared_data: Path, settings: Settings
) -> None:
    w = whales_at(shared_data, settings, "2026-02-04T19:55:00Z")
    raw = whale_json(shared_data, "2026-02-04T19-54")
    for p in w.largest:
        own = own_position(raw, p.address, "BTC")
        assert own is not None
        assert p.notional_usd == pytest.approx(float(own["positionValue"]))
        assert p.leverage == own["leverage"]
        liq = own["liquidationPx"]
        assert p.liquidation_price == (None if liq is None else pytest.approx(float(liq)))
    assert [p.notional_usd for p in w.largest] == sorted(
        (p.notional_usd for p in w.largest), reverse=True
    )


def test_totals_cover_every_listed_trader_with_a_btc_position(
    shared_data: Path, settings: Settings
) -> None:
    w = whales_at(shared_data, settings, "2026-02-04T14:31:00Z")
    raw = whale_json(shared_data, "2026-02-04T14-30")
    traders = {t["address"].lower(): t for g in ("daily", "weekly")
               for t in raw["whaleTracker"][g]}
    btc = [own_position(raw, a, "BTC") for a in traders]
    longs = sum(float(p["positionValue"]) for p in btc if p and p["direction"] == "Long")
    shorts = sum(float(p["positionValue"]) for p in btc if p and p["direction"] == "Short")
    assert w.addresses_covered == len(traders)
    assert w.addresses_with_position == sum(1 for p in btc if p)
    assert w.long_notional_usd == pytest.approx(longs)
    assert w.short_notional_usd == pytest.approx(shorts)
    assert w.net_notional_usd == pytest.approx(longs - shorts)
    assert w.net_notional_usd < 0  # whales were net short BTC during the sell-off


def _book(when: str, positions: dict[str, tuple[str, float, float]],
          previous: WhaleBook | None = None) -> WhaleBook:
    traders = tuple(
        WhaleTrader(addr, (WhalePosition(addr, "BTC", side, size, notional),))  # type: ignore[arg-type]
        for addr, (side, size, notional) in positions.items()
    )
    return WhaleBook(as_of=at(when), source="test", traders=traders, previous=previous)


def test_small_size_changes_are_not_reported_but_price_moves_do_not_count() -> None:
    before = _book("2026-01-01T00:00:00Z", {"0xa": ("long", 10.0, 1_000_000.0)})
    # Same size, notional up 10 % on price alone: no change.
    now = _book("2026-01-01T06:00:00Z", {"0xa": ("long", 10.0, 1_100_000.0)}, before)
    assert analyse_whales(now, "BTC").changes == ()  # type: ignore[union-attr]
    grown = _book("2026-01-01T06:00:00Z", {"0xa": ("long", 12.0, 1_320_000.0)}, before)
    (change,) = analyse_whales(grown, "BTC").changes  # type: ignore[union-attr]
    assert (change.kind, change.delta_usd) == ("increased", pytest.approx(220_000.0))


def test_no_whale_book_means_no_whale_analysis() -> None:
    assert analyse_whales(None, "BTC") is None
