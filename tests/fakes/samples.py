"""Sample documents: a whale snapshot JSON and a MarketSnapshot using every model part."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.errors import MissingReason
from bot.market.models import (
    CandleSeries,
    Deposit,
    LargeTrade,
    MarketSnapshot,
    Missing,
    Ticker,
    VenueDerivatives,
    WhaleBook,
    WhalePosition,
    WhaleTrader,
)

ALICE = "0x" + "a" * 40
BOB = "0x" + "B" * 40


def snapshot_doc(when: str = "2026-02-04T10:54:22.307521Z") -> dict[str, Any]:
    """A tiny document in the shared-data whale snapshot shape."""
    btc_short = {
        "coin": "BTC", "direction": "Short", "size": 2.5, "entryPx": "80000.5", "leverage": 10.0,
        "positionValue": 190000.0, "unrealizedPnl": 10000.0, "liquidationPx": "95000.1",
    }
    eth_long = {
        "coin": "ETH", "direction": "Long", "size": "100", "entryPx": "2500", "leverage": 5,
        "positionValue": "230000", "unrealizedPnl": "-20000", "liquidationPx": None,
    }
    return {
        "lastUpdated": when,
        "dashboard": {"totalOI": 1.0},
        "whaleTracker": {
            "daily": [
                {"address": ALICE, "displayName": "alice", "accountValue": 1e6,
                 "positions": [btc_short]},
                {"address": BOB, "displayName": None, "accountValue": "2500000.5",
                 "positions": [eth_long, btc_short]},
            ],
            "weekly": [{"address": ALICE, "displayName": "alice", "positions": []}],
            "biggestPositions": [
                {**eth_long, "traderAddress": BOB, "traderName": None},
                {**btc_short, "traderAddress": ALICE, "traderName": "alice"},
            ],
        },
    }


AS_OF = datetime(2026, 2, 4, 12, 0, 30, 250000, tzinfo=UTC)
WHALE = "0x" + "c" * 40


def full_snapshot(as_of: datetime = AS_OF) -> MarketSnapshot:
    """A snapshot using every part of the model."""
    position = WhalePosition(WHALE, "BTC", "short", 2.0, 150_000.0, 80_000.0, 20.0, 90_000.0,
                             -1_000.0, "whale c")
    earlier = WhaleBook(as_of - timedelta(hours=3), "hyperliquid",
                        traders=(WhaleTrader(WHALE, (), "whale c", 1e6),))
    whales = WhaleBook(
        as_of - timedelta(minutes=5),
        "hyperliquid",
        traders=(WhaleTrader(WHALE, (position,), "whale c", 2e6),),
        ranked_positions=(position,),
        large_trades=(LargeTrade("binanceusdm", as_of, "sell", 76_000.0, 20.0, 1_520_000.0),),
        deposits=(Deposit(WHALE, as_of - timedelta(hours=1), -50_000.0, "whale c"),),
        previous=earlier,
    )
    return MarketSnapshot(
        symbol="BTC",
        as_of=as_of,
        source="live",
        candles={"1h": CandleSeries.from_arrays("1h", [1, 2], [1.0, 2.0], [2.0, 3.0],
                                                [0.5, 1.5], [1.5, 2.5], [10.0, 11.0], True)},
        ticker=Ticker("BTC/USDT", 76_017.25, as_of, 76_017.0, 76_017.5, 78_458.89, 72_945.5,
                      77_000.0, 2.9e9),
        derivatives=(
            VenueDerivatives("okx", "BTC/USDT:USDT", as_of, open_interest_usd=3.1e9,
                             open_interest_usd_24h_ago=3.0e9, long_short_ratio=1.2,
                             funding_rate=0.0001, funding_interval_hours=8.0,
                             funding_rate_8h=0.0001, stale_seconds={"long_short_ratio": 42.0}),
        ),
        whales=whales,
        missing=(Missing("bybit", "*", MissingReason.TIMEOUT),
                 Missing("okx", "volume_24h_usd", MissingReason.NOT_OFFERED, False)),
        venues_requested=("okx", "bybit"),
    )
