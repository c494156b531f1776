"""One long-lived ccxt exchange per venue: what each venue offers and how to reach it.

``VenueProfile`` records what differs between venues (market types to load, the
default funding interval, the raw top-trader endpoint, public trades);
``VenueClient`` owns the ccxt instance: no API keys, ``enableRateLimit`` on,
markets loaded once for the needed types only, the ``api_url`` override applied,
every call translated into ``bot.errors`` and temporary errors retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

import ccxt.async_support as ccxt_async

from bot.config import Settings
from bot.errors import VenueError, VenueNotSupportedError, VenueSymbolError
from bot.market.ccxt_errors import call_translated, call_with_retry
from bot.market.units import interval_hours
from bot.market.urls import apply_api_url

T = TypeVar("T")
INTERVALS_TTL = 6 * 3600.0
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class VenueProfile:
    """What the bot needs to know about one venue beyond ``exchange.has``."""

    ccxt_id: str
    spot_type: str | None
    perp_type: str | None
    funding_hours: float = 8.0
    top_trader_method: str | None = None
    public_trades: bool = True
    ratio_period: str = "5m"
    bulk_context: bool = False
    interval_lookup: bool = False


PROFILES: Mapping[str, VenueProfile] = MappingProxyType({
    "binance": VenueProfile("binance", "spot", None),
    # Binance's funding answer has no interval; symbols off the 8h default are listed
    # by fetch_funding_intervals (/fapi/v1/fundingInfo).
    "binanceusdm": VenueProfile(
        "binanceusdm", None, "linear", 8.0, "fapiDataGetTopLongShortPositionRatio",
        interval_lookup=True,
    ),
    "okx": VenueProfile(
        "okx", "spot", "swap", 8.0,
        "publicGetRubikStatContractsLongShortPositionRatioContractTopTrader",
    ),
    # ccxt passes the long/short period through unchanged; Bybit spells it "5min".
    "bybit": VenueProfile("bybit", "spot", "linear", 8.0, ratio_period="5min"),
    # Hyperliquid funds hourly; its public trades exist only over websocket.
    # OI, ticker and funding come from one asset-context answer (see venue_derivatives).
    "hyperliquid": VenueProfile(
        "hyperliquid", "spot", "swap", 1.0, public_trades=False, bulk_context=True
    ),
})


def market_types(venue: str, spot: bool, perp: bool) -> list[str]:
    """The ``options['fetchMarkets']['types']`` a venue needs for its roles."""
    profile = PROFILES[venue]
    types = []
    if spot and profile.spot_type:
        types.append(profile.spot_type)
    if perp and profile.perp_type:
        types.append(profile.perp_type)
    return types


class VenueClient:
    """A ccxt exchange for one venue with translated, retried calls."""

    def __init__(self, venue: str, settings: Settings, spot: bool, perp: bool) -> None:
        self.venue = venue
        self.profile = PROFILES[venue]
        self._settings = settings
        exchange_cls = getattr(ccxt_async, self.profile.ccxt_id)
        self.exchange: Any = exchange_cls(
            {"enableRateLimit": True, "timeout": int(settings.venues.timeout_seconds * 1000)}
        )
        options = self.exchange.options
        fetch_markets = dict(options.get("fetchMarkets") or {})
        fetch_markets["types"] = market_types(venue, spot, perp)
        options["fetchMarkets"] = fetch_markets
        base = settings.venues.api_url.get(venue)
        if base:
            apply_api_url(self.exchange, base)
        self._markets_task: asyncio.Task[Any] | None = None
        self._intervals: dict[str, float] = {}
        self._intervals_at = -INTERVALS_TTL
        self._intervals_lock = asyncio.Lock()

    async def load_markets(self) -> None:
        """Load the venue's markets once (shared by concurrent callers; retried after errors)."""
        if self.exchange.markets:
            return
        if self._markets_task is None or self._markets_task.done():
            self._markets_task = asyncio.get_running_loop().create_task(self._load())
        await asyncio.shield(self._markets_task)

    async def _load(self) -> None:
        venues = self._settings.venues
        await call_with_retry(
            self.venue, self.exchange.load_markets, venues.retries, venues.backoff_seconds
        )
        if self.profile.interval_lookup:
            try:
                await self._refresh_intervals()
            except VenueError as e:
                log.warning("%s: funding intervals not loaded: %s", self.venue, e.reason)

    def has(self, capability: str) -> bool:
        """True when ccxt implements ``capability`` for this venue (natively or emulated)."""
        return bool(self.exchange.has.get(capability))

    def require(self, capability: str) -> None:
        """Raise ``VenueNotSupportedError`` when the venue lacks ``capability``."""
        if not self.has(capability):
            raise VenueNotSupportedError(self.venue, f"{capability} not offered")

    def market(self, symbol: str) -> dict[str, Any]:
        """The loaded market ``symbol`` or ``VenueSymbolError``."""
        markets = self.exchange.markets or {}
        market = markets.get(symbol)
        if market is None:
            raise VenueSymbolError(self.venue, f"market {symbol} not listed")
        return dict(market)

    def contract_size(self, symbol: str) -> float:
        """Base units per contract (1 for spot and linear venues quoting in coins)."""
        size = self.market(symbol).get("contractSize")
        return float(size) if size else 1.0

    async def funding_hours(self, symbol: str) -> float:
        """Funding interval of ``symbol`` from the venue's list (loaded at start, kept 6h)."""
        if time.monotonic() - self._intervals_at >= INTERVALS_TTL:
            await self._refresh_intervals()
        return self._intervals.get(symbol, self.profile.funding_hours)

    async def _refresh_intervals(self) -> None:
        async with self._intervals_lock:
            if time.monotonic() - self._intervals_at < INTERVALS_TTL:
                return
            venues = self._settings.venues
            rows = await call_with_retry(
                self.venue, self.exchange.fetch_funding_intervals,
                venues.retries, venues.backoff_seconds,
            )
            self._intervals = {
                sym: interval_hours(row.get("interval"), self.profile.funding_hours)
                for sym, row in (rows or {}).items()
                if isinstance(row, dict)
            }
            self._intervals_at = time.monotonic()

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run ``fn`` after the markets are loaded, translated and with retries."""
        await self.load_markets()
        return await call_with_retry(
            self.venue, fn, self._settings.venues.retries, self._settings.venues.backoff_seconds
        )

    async def close(self) -> None:
        """Close the HTTP session (errors on close are logged, not raised)."""
        if self._markets_task is not None and not self._markets_task.done():
            self._markets_task.cancel()
        try:
            await call_translated(self.venue, self.exchange.close)
        except VenueError as e:
            log.warning("closing %s: %s", self.venue, e)
