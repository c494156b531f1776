"""The numbers behind the fake exchange, and what the bot should make of them in USD.

``FakeMarket`` holds per coin a price now and 24h ago and, per venue, the
perpetual's figures in coins; venue modules render them in each venue's native
units (okx in contracts of ``contract_size`` coins, hyperliquid hourly funding).
``expected_*`` give the USD values a correct client must compute.

Hourly perpetual bars and OI points at or before ``H - 23h`` (``H`` = the current
hour's start) carry the "24h ago" figures; later ones the current figures.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

HOUR_MS = 3_600_000
TF_MS = {"1m": 60_000, "5m": 300_000, "1h": HOUR_MS, "4h": 4 * HOUR_MS, "1d": 24 * HOUR_MS}
Params = dict[str, Any]
Bar = tuple[int, float, float, float, float, float]
Handler = Callable[["FakeMarket", set[str], Params], Any]


class NotListed(Exception):
    """The venue does not list the requested market (rendered as the venue's error)."""


TRACKED_WHALE = "0x94d3735543ecb3d339064151118644501c933814"


@dataclass
class PerpBook:
    """One venue's perpetual of one coin, in coins (USD follows from the coin's price)."""

    oi_coins: float
    oi_coins_24h_ago: float
    volume_24h_coins: float
    volume_prev_24h_coins: float
    funding_rate: float
    funding_hours: float = 8.0
    long_short: float | None = None
    top_long_short: float | None = None
    contract_size: float = 1.0


@dataclass
class CoinBook:
    """A coin's prices and its perpetual at every venue."""

    coin: str
    price: float
    price_24h_ago: float
    perps: dict[str, PerpBook] = field(default_factory=dict)


@dataclass
class FakeTrade:
    """A public trade at a venue, ``amount`` in coins."""

    venue: str
    coin: str
    ms: int
    side: str
    price: float
    amount: float
    trade_id: int


@dataclass
class FakeWhale:
    """A Hyperliquid account: raw ``assetPositions`` and ledger updates."""

    asset_positions: list[dict[str, Any]]
    ledger: list[dict[str, Any]]
    account_value: float = 0.0


def now_ms() -> int:
    """Wall-clock milliseconds (ccxt computes ``since`` from the real clock)."""
    return int(time.time() * 1000)


class FakeMarket:
    """All numbers the fake venues serve."""

    def __init__(self) -> None:
        self.coins: dict[str, CoinBook] = {}
        self.trades: list[FakeTrade] = []
        self.whales: dict[str, FakeWhale] = {}

    # ----- candles -------------------------------------------------------
    def perp_bars(self, coin: str, venue: str, limit: int) -> list[tuple[int, float, float]]:
        """The newest ``limit`` hourly perp bars ``(open ms, close, coins)``, oldest first."""
        book = self.coins[coin]
        perp = book.perps[venue]
        hour = now_ms() // HOUR_MS * HOUR_MS
        bars = []
        for k in range(limit - 1, -1, -1):
            t = hour - k * HOUR_MS
            old = t <= hour - 23 * HOUR_MS
            close = book.price_24h_ago if old else book.price
            vol = (perp.volume_prev_24h_coins if old else perp.volume_24h_coins) / 24
            bars.append((t, close, vol))
        return bars

    def spot_bars(self, coin: str, timeframe: str, limit: int) -> list[Bar]:
        """Deterministic spot bars ``(ms, o, h, l, c, v)``; the forming bar closes at ``price``."""
        book = self.coins[coin]
        step = TF_MS[timeframe]
        start = now_ms() // step * step
        rows = []
        for k in range(limit - 1, -1, -1):
            wave = math.sin(k / 9.0) * 0.04 + math.sin(k / 2.3) * 0.01
            close = book.price * (1 + wave) if k else book.price
            prev_wave = math.sin((k + 1) / 9.0) * 0.04 + math.sin((k + 1) / 2.3) * 0.01
            open_ = book.price * (1 + prev_wave)
            high = max(open_, close) * 1.004
            low = min(open_, close) * 0.996
            rows.append((start - k * step, open_, high, low, close, 100.0 + 50 * abs(wave) * 100))
        return rows

    def oi_points(self, coin: str, venue: str, count: int) -> list[tuple[int, float]]:
        """Hourly OI points ``(ms, coins)``, oldest first, newest at the current hour."""
        perp = self.coins[coin].perps[venue]
        hour = now_ms() // HOUR_MS * HOUR_MS
        points = []
        for k in range(count - 1, -1, -1):
            t = hour - k * HOUR_MS
            old = t <= hour - 23 * HOUR_MS
            points.append((t, perp.oi_coins_24h_ago if old else perp.oi_coins))
        return points

    # ----- what a correct client computes ---------------------------------
    def expected_oi_usd(self, coin: str, venue: str) -> float:
        """Open interest now in USD."""
        return self.coins[coin].perps[venue].oi_coins * self.coins[coin].price

    def expected_oi_usd_24h_ago(self, coin: str, venue: str) -> float:
        """Open interest 24h ago in USD at the price of that hour."""
        book = self.coins[coin]
        return book.perps[venue].oi_coins_24h_ago * book.price_24h_ago

    def expected_volume_24h_usd(self, coin: str, venue: str) -> float:
        """24h volume in USD."""
        return self.coins[coin].perps[venue].volume_24h_coins * self.coins[coin].price

    def expected_volume_prev_24h_usd(self, coin: str, venue: str) -> float:
        """The previous 24h's volume in USD."""
        book = self.coins[coin]
        return book.perps[venue].volume_prev_24h_coins * book.price_24h_ago

    def expected_funding_8h(self, coin: str, venue: str) -> float:
        """Funding per 8 hours."""
        perp = self.coins[coin].perps[venue]
        return perp.funding_rate * 8 / perp.funding_hours

    def expected_large_trades(self, coin: str, threshold_usd: float) -> list[FakeTrade]:
        """Trades of ``coin`` with notional ≥ ``threshold_usd`` (hyperliquid has no REST tape)."""
        return [
            t for t in self.trades
            if t.coin == coin and t.venue != "hyperliquid" and t.amount * t.price >= threshold_usd
        ]


def _perps(scale: float) -> dict[str, PerpBook]:
    return {
        "binanceusdm": PerpBook(80_000 * scale, 82_500 * scale, 250_000 * scale,
                                180_000 * scale, 0.0001, 8.0, 1.8, 1.35),
        "okx": PerpBook(25_000 * scale, 26_000 * scale, 90_000 * scale, 60_000 * scale,
                        0.00005, 8.0, 1.2, 0.95, contract_size=0.01 if scale == 1 else 0.1),
        "bybit": PerpBook(55_000 * scale, 57_000 * scale, 120_000 * scale, 100_000 * scale,
                          -0.00002, 8.0, 2.1, None),
        "hyperliquid": PerpBook(30_000 * scale, 30_000 * scale, 40_000 * scale,
                                35_000 * scale, 0.0000125, 1.0, None, None),
    }


def default_market() -> FakeMarket:
    """BTC (the real 2026-02-05 open/close), ETH and SOL with plausible figures; DOGE and
    XRP listed too, though no ``[[symbols]]`` entry configures them."""
    market = FakeMarket()
    market.coins["BTC"] = CoinBook("BTC", 62_909.86, 73_165.84, _perps(1))
    market.coins["ETH"] = CoinBook("ETH", 1_845.5, 2_110.25, _perps(25))
    market.coins["SOL"] = CoinBook("SOL", 81.4, 92.6, _perps(700))
    market.coins["SOL"].perps["okx"].contract_size = 1.0
    market.coins["SOL"].perps["binanceusdm"].funding_hours = 4.0
    # listed by every fake venue but configured nowhere: "any coin the venues list"
    market.coins["DOGE"] = CoinBook("DOGE", 0.1234, 0.1301, _perps(500_000))
    market.coins["DOGE"].perps["okx"].contract_size = 1000.0
    market.coins["XRP"] = CoinBook("XRP", 1.92, 2.05, _perps(30_000))
    market.coins["XRP"].perps["okx"].contract_size = 100.0
    t0 = now_ms() - 90_000
    market.trades = [
        FakeTrade("binanceusdm", "BTC", t0, "buy", 62_900.0, 25.0, 1),       # 1.57M: kept
        FakeTrade("binanceusdm", "BTC", t0 + 1_000, "sell", 62_880.0, 0.5, 2),  # small
        FakeTrade("okx", "BTC", t0 + 2_000, "sell", 62_910.0, 40.0, 3),       # 2.52M: kept
        FakeTrade("bybit", "BTC", t0 + 3_000, "buy", 62_905.0, 10.0, 4),      # 629k: dropped
    ]
    market.whales[TRACKED_WHALE] = FakeWhale(
        asset_positions=[
            _hl_position("BTC", -150.0, 70_120.5, 62_909.86, 20, 88_400.0),
            _hl_position("ETH", 4_200.0, 1_990.0, 1_845.5, 15, None),
        ],
        ledger=[
            {"time": now_ms() - 2 * HOUR_MS, "hash": "0x01",
             "delta": {"type": "deposit", "usdc": "2703997.45"}},
            {"time": now_ms() - HOUR_MS, "hash": "0x02",
             "delta": {"type": "accountClassTransfer", "usdc": "12.0", "toPerp": False}},
            {"time": now_ms() - HOUR_MS // 2, "hash": "0x03",
             "delta": {"type": "withdraw", "usdc": "500000.0", "nonce": 1, "fee": "1.0"}},
        ],
        account_value=12_500_000.0,
    )
    return market


def _hl_position(
    coin: str, szi: float, entry: float, mark: float, leverage: int, liq: float | None
) -> dict[str, Any]:
    value = abs(szi) * mark
    pnl = (mark - entry) * szi
    return {
        "type": "oneWay",
        "position": {
            "coin": coin, "szi": repr(szi), "entryPx": repr(entry),
            "positionValue": repr(value), "unrealizedPnl": repr(pnl),
            "returnOnEquity": "0.1", "liquidationPx": None if liq is None else repr(liq),
            "marginUsed": repr(value / leverage),
            "leverage": {"type": "cross", "value": leverage},
            "maxTradeSzs": ["1.0", "1.0"],
        },
    }
