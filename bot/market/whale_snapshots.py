"""Hyperliquid whale snapshot JSON (leaderboard + biggest positions) → WhaleBook.

The shape is the one in ``../shared/data/hyperliquid/whale_snapshots``:
``lastUpdated``, ``whaleTracker.daily[]`` / ``.weekly[]`` (traders with their
own positions) and ``whaleTracker.biggestPositions[]`` (a ranked top-N list).
Numbers may be JSON strings; directions are ``"Long"``/``"Short"``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.errors import ReplayDataError
from bot.market.models import Side, WhaleBook, WhalePosition, WhaleTrader, utc_from_iso

WHALE_SOURCE = "hyperliquid"


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _side(direction: Any, size: float) -> Side:
    text = str(direction or "").strip().lower()
    if text in ("long", "short"):
        return "long" if text == "long" else "short"
    return "short" if size < 0 else "long"


def _position(raw: Mapping[str, Any], address: str, label: str | None) -> WhalePosition:
    size = _number(raw.get("size")) or 0.0
    return WhalePosition(
        address=address.lower(),
        coin=str(raw.get("coin", "")),
        side=_side(raw.get("direction"), size),
        size=abs(size),
        notional_usd=abs(_number(raw.get("positionValue")) or 0.0),
        entry_price=_number(raw.get("entryPx")),
        leverage=_number(raw.get("leverage")),
        liquidation_price=_number(raw.get("liquidationPx")),
        unrealized_pnl=_number(raw.get("unrealizedPnl")),
        label=label,
    )


def _traders(groups: list[Any], labels: Mapping[str, str]) -> tuple[WhaleTrader, ...]:
    seen: dict[str, WhaleTrader] = {}
    for group in groups:
        for raw in group or ():
            address = str(raw.get("address", "")).lower()
            if not address or address in seen:
                continue
            label = labels.get(address) or raw.get("displayName") or None
            positions = tuple(_position(p, address, label) for p in raw.get("positions") or ())
            seen[address] = WhaleTrader(
                address, positions, label, _number(raw.get("accountValue"))
            )
    return tuple(seen.values())


def whale_book_from_json(data: Mapping[str, Any], labels: Mapping[str, str]) -> WhaleBook:
    """A parsed snapshot document → WhaleBook (no ``previous``; no coin filter).

    ``labels`` maps lower-case addresses to the configured labels, which win over
    the snapshot's display names.
    """
    tracker = data.get("whaleTracker") or {}
    ranked = tuple(
        _position(
            p,
            str(p.get("traderAddress", "")).lower(),
            labels.get(str(p.get("traderAddress", "")).lower()) or p.get("traderName") or None,
        )
        for p in tracker.get("biggestPositions") or ()
    )
    return WhaleBook(
        as_of=utc_from_iso(str(data["lastUpdated"])),
        source=WHALE_SOURCE,
        traders=_traders([tracker.get("daily"), tracker.get("weekly")], labels),
        ranked_positions=ranked,
    )


def read_whale_snapshot(path: Path, labels: Mapping[str, str]) -> WhaleBook:
    """Read one whale snapshot file; a malformed file raises ReplayDataError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return whale_book_from_json(data, labels)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ReplayDataError(f"{path}: cannot read whale snapshot ({e})") from e
    except (KeyError, ValueError, AttributeError, TypeError) as e:
        raise ReplayDataError(f"{path}: not a Hyperliquid whale snapshot ({e!r})") from e


def is_whale_snapshot(path: Path) -> bool:
    """True for JSON files that look like whale snapshots (by a cheap peek)."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fp:
            head = fp.read(4096)
    except OSError:
        return False
    return '"lastUpdated"' in head or '"whaleTracker"' in head
