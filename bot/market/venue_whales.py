"""Tracked Hyperliquid addresses: open positions and USDC deposits/withdrawals."""

from __future__ import annotations

from typing import Any

from bot.market.ccxt_errors import bad_response, optional_number, require_number
from bot.market.models import Deposit, WhalePosition, WhaleTrader, utc_from_ms
from bot.market.venues import VenueClient

_SIGN = {"deposit": 1.0, "withdraw": -1.0}


def _position(venue: str, address: str, label: str, raw: Any) -> WhalePosition:
    if not isinstance(raw, dict):
        raise bad_response(venue, "position missing")
    side = raw.get("side")
    if side not in ("long", "short"):
        raise bad_response(venue, f"position side {side!r}")
    info = raw.get("info") or {}
    coin = (info.get("position") or {}).get("coin") or str(raw.get("symbol", "")).split("/")[0]
    return WhalePosition(
        address=address,
        coin=coin,
        side=side,
        size=require_number(venue, "position size", raw.get("contracts")),
        notional_usd=require_number(venue, "position value", raw.get("notional")),
        entry_price=optional_number(raw.get("entryPrice")),
        leverage=optional_number(raw.get("leverage")),
        liquidation_price=optional_number(raw.get("liquidationPrice")),
        unrealized_pnl=optional_number(raw.get("unrealizedPnl")),
        label=label,
    )


async def whale_positions(client: VenueClient, address: str, label: str) -> WhaleTrader:
    """All open perpetual positions of ``address``."""
    client.require("fetchPositions")
    rows = await client.call(
        lambda: client.exchange.fetch_positions(None, {"user": address})
    )
    positions = tuple(_position(client.venue, address, label, r) for r in rows or [])
    return WhaleTrader(address=address, positions=positions, label=label)


async def whale_transfers(
    client: VenueClient, address: str, label: str, since_ms: int
) -> tuple[Deposit, ...]:
    """USDC deposits (positive) and withdrawals (negative) of ``address`` since ``since_ms``."""
    client.require("fetchLedger")
    rows = await client.call(
        lambda: client.exchange.fetch_ledger(None, since_ms, None, {"user": address})
    )
    transfers = []
    for row in rows or []:
        sign = _SIGN.get(str((row.get("info") or {}).get("delta", {}).get("type")))
        if sign is None:
            continue
        amount = require_number(client.venue, "ledger amount", row.get("amount"))
        when = require_number(client.venue, "ledger time", row.get("timestamp"))
        transfers.append(Deposit(address, utc_from_ms(when), sign * abs(amount), label))
    return tuple(transfers)
