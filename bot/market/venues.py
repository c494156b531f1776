"""One long-lived ccxt exchange per venue: what each venue offers and how to reach it.

``VenueProfile`` records what differs between venues (market types to load, the
default funding interval, the raw top-trader endpoint, public trades);
``VenueClient`` owns the ccxt instance: no API keys, ``enableRateLimit`` on,
markets for the needed types only, the ``api_url`` override applied, every call
translated into ``bot.errors`` and temporary errors retried within the current
deadline. The market list comes from disk when kept there (``MarketsStore``) and is
refreshed in the background; a call waits for it only when there is none yet, and
then no longer than its deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TypeVar

from bot.config import Settings
from bot.errors import (
    VenueBadResponseError,
    VenueError,
    VenueNotSupportedError,
    VenueRateLimitedError,
    VenueSymbolError,
    VenueTimeoutError,
)
from bot.market.ccxt_errors import call_translated, call_with_retry, translate
from bot.market.ccxt_lean import errors as ccxt_errors
from bot.market.ccxt_lean import exchange_class
from bot.market.deadline import Deadline, current, fresh_context
from bot.market.health import VenueHealth
from bot.market.markets_store import MarketsStore
from bot.market.units import interval_hours, retry_after_seconds
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
    #: the window (ms) over which the venue publishes its request limit: ccxt's rolling
    #: window limiter lets a burst of that budget through instead of one request per
    #: ``rateLimit`` ms (its default leaky bucket holds no burst at all)
    rate_window_ms: int = 60_000


PROFILES: Mapping[str, VenueProfile] = MappingProxyType({
    # Published limits: Binance spot 6,000 weight a minute, USD-M 2,400 a minute;
    # OKX 20 requests per 2 s per public endpoint; Bybit 600 requests per 5 s per IP;
    # Hyperliquid 1,200 weight a minute. ccxt's costs are in units of ``rateLimit`` ms.
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
        rate_window_ms=2_000,
    ),
    # ccxt passes the long/short period through unchanged; Bybit spells it "5min".
    "bybit": VenueProfile("bybit", "spot", "linear", 8.0, ratio_period="5min",
                          rate_window_ms=5_000),
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

    def __init__(
        self, venue: str, settings: Settings, spot: bool, perp: bool,
        store: MarketsStore | None = None, health: VenueHealth | None = None,
    ) -> None:
        self.venue = venue
        self.profile = PROFILES[venue]
        self._settings = settings
        self._store = store or MarketsStore(None)
        self.health = health or VenueHealth()
        self._types = market_types(venue, spot, perp)
        self.exchange: Any = self._new_exchange()
        self._markets_task: asyncio.Task[None] | None = None
        self.markets_fetched_at: datetime | None = None
        self._retry_after: float | None = None
        self._intervals: dict[str, float] = {}
        self._intervals_at = -INTERVALS_TTL
        self._intervals_lock = asyncio.Lock()

    def _new_exchange(self) -> Any:
        venues = self._settings.venues
        exchange_cls = exchange_class(self.profile.ccxt_id)
        exchange = exchange_cls({
            "enableRateLimit": True, "timeout": int(venues.timeout_seconds * 1000),
            "rateLimiterAlgorithm": "rollingWindow",
            "rollingWindowSize": self.profile.rate_window_ms,
        })
        options = exchange.options
        fetch_markets = dict(options.get("fetchMarkets") or {})
        fetch_markets["types"] = list(self._types)
        options["fetchMarkets"] = fetch_markets
        base = venues.api_url.get(self.venue)
        if base:
            apply_api_url(exchange, base)
        if exchange.verify:  # one CA bundle parse per process, not one per venue (~60 ms each)
            exchange.ssl_context = _ssl_context(exchange.cafile)
        on_rest_response = exchange.on_rest_response

        def remember_retry_after(code: Any, reason: Any, url: Any, method: Any,
                                 headers: Any, body: Any, *rest: Any) -> Any:
            self._retry_after = retry_after_seconds(headers) if code == 429 else None
            return on_rest_response(code, reason, url, method, headers, body, *rest)

        exchange.on_rest_response = remember_retry_after
        return exchange

    def warm(self) -> None:
        """Use the market list kept on disk; refresh it in the background when absent or old."""
        saved = self._store.load(self.venue, self._types)
        max_age = self._settings.venues.markets_max_age_hours * 3600.0
        if saved is not None:
            try:
                self.exchange.set_markets(saved.markets, saved.currencies or None)
            except Exception as e:  # a saved list ccxt cannot index is as good as none
                log.warning("%s: saved market list unusable: %s", self.venue, translate(
                    self.venue, e).detail)
                saved = None
            else:
                self._markets_loaded(saved.fetched_at)
        if saved is None or saved.age_seconds(datetime.now(UTC)) > max_age:
            self.refresh_markets()
        elif self.profile.interval_lookup:
            self._background(self._load_intervals())

    def refresh_if_old(self, now: datetime) -> None:
        """Start a background refresh when the market list in use is older than allowed."""
        max_age = self._settings.venues.markets_max_age_hours * 3600.0
        fetched = self.markets_fetched_at
        if fetched is not None and (now - fetched).total_seconds() > max_age:
            self.refresh_markets()

    def _markets_loaded(self, fetched_at: datetime) -> None:
        self.markets_fetched_at = fetched_at
        self.health.markets(self.venue, fetched_at)

    def refresh_markets(self) -> None:
        """Fetch the market list in the background (once at a time), outside any deadline."""
        if self._markets_task is None or self._markets_task.done():
            self._background(self._load())

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        self._markets_task = asyncio.get_running_loop().create_task(
            work, context=fresh_context()
        )
        self._markets_task.add_done_callback(_retrieve_exception)

    async def markets_ready(self) -> bool:
        """Wait for a background load in progress; whether a market list is loaded."""
        if self._markets_task is not None:
            with contextlib.suppress(VenueError):
                await asyncio.shield(self._markets_task)
        return bool(self.exchange.markets)

    async def load_markets(self) -> None:
        """Have a market list: return at once when one is loaded, else wait for the
        background load, no longer than the current deadline."""
        if self.exchange.markets:
            return
        self.refresh_markets()
        task = self._markets_task
        assert task is not None
        deadline = current()
        if deadline is None:
            await asyncio.shield(task)
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), deadline.remaining())
        except TimeoutError as e:
            raise VenueTimeoutError(self.venue, "market list not loaded in time") from e

    async def _load(self) -> None:
        """Fetch the markets (its own budget: every attempt, retry and backoff) and keep them.

        ``fetch_markets`` + ``set_markets`` rather than ccxt's ``load_markets(reload=True)``,
        which would make every concurrent request wait for the reload.
        """
        venues = self._settings.venues
        budget = venues.timeout_seconds * (venues.retries + 1) + venues.backoff_seconds * (
            2 ** venues.retries)
        deadline = Deadline.after(budget)
        # currencies, markets and the funding intervals' raw list need none of the others
        # (only Hyperliquid's hip3 markets, not loaded here, read the currencies): one trip
        jobs: list[Callable[[], Awaitable[Any]]] = [self.exchange.fetch_markets]
        if self.exchange.has.get("fetchCurrencies") is True:
            jobs.append(self.exchange.fetch_currencies)
        intervals = (asyncio.ensure_future(self._retried(self._raw_intervals, deadline))
                     if self.profile.interval_lookup else None)
        try:
            markets, *rest = await asyncio.gather(*(self._retried(j, deadline) for j in jobs))
        except BaseException:
            if intervals is not None:
                intervals.cancel()
            raise
        currencies = rest[0] if rest else None
        try:
            self.exchange.set_markets(markets, currencies)
        except Exception as e:
            raise translate(self.venue, e) from e
        if not self.exchange.markets:
            raise VenueBadResponseError(self.venue, "empty market list")
        now = datetime.now(UTC)
        self._markets_loaded(now)
        self.health.success(self.venue)
        self._store.save(self.venue, self._types, dict(self.exchange.markets),
                         dict(self.exchange.currencies or {}), now)
        if intervals is not None:
            try:
                self._set_intervals(self.exchange.parse_funding_rates(await intervals, None))
            except VenueError as e:
                log.warning("%s: funding intervals not loaded: %s", self.venue, e.reason)
            except Exception as e:
                log.warning("%s: funding intervals not loaded: %s", self.venue,
                            translate(self.venue, e).reason)

    async def _raw_intervals(self) -> Any:
        """The venue's funding-interval list as it answers it (Binance USD-M fundingInfo)."""
        return await self.exchange.fapiPublicGetFundingInfo({})

    async def _load_intervals(self) -> None:
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
            rows = await self._retried(self.exchange.fetch_funding_intervals)
            try:
                self._set_intervals(rows)
            except Exception as e:
                raise translate(self.venue, e) from e

    def _set_intervals(self, rows: Any) -> None:
        """Keep ``{symbol: hours}`` from ccxt's funding-interval structures."""
        self._intervals = {
            sym: interval_hours(row.get("interval"), self.profile.funding_hours)
            for sym, row in (rows or {}).items()
            if isinstance(row, dict)
        }
        self._intervals_at = time.monotonic()

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run ``fn`` once markets are loaded, translated, retried within the deadline."""
        await self.load_markets()
        try:
            result = await self._retried(fn)
        except VenueError as e:
            self.health.error(self.venue, e.reason)
            raise
        self.health.success(self.venue)
        return result

    async def _retried(
        self, fn: Callable[[], Awaitable[T]], deadline: Deadline | None = None
    ) -> T:
        """``fn`` retried within ``deadline`` (default: the current one), a 429's
        Retry-After read from the answer's headers."""
        venues = self._settings.venues

        async def attempt() -> T:
            self._retry_after = None
            try:
                return await fn()
            except (ccxt_errors.RateLimitExceeded, ccxt_errors.DDoSProtection) as e:
                raise VenueRateLimitedError(
                    self.venue, str(e)[:300], retry_after=self._retry_after) from e

        return await call_with_retry(
            self.venue, attempt, venues.retries, venues.backoff_seconds, deadline
        )

    async def close(self) -> None:
        """Close the HTTP session (errors on close are logged, not raised)."""
        if self._markets_task is not None and not self._markets_task.done():
            self._markets_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, VenueError):
                await self._markets_task
        try:
            await call_translated(self.venue, self.exchange.close)
        except VenueError as e:
            log.warning("closing %s: %s", self.venue, e)


@functools.cache
def _ssl_context(cafile: str | None) -> ssl.SSLContext:
    """The default TLS context for ``cafile`` (what ccxt would build), shared by venues."""
    return ssl.create_default_context(cafile=cafile)


def _retrieve_exception(task: asyncio.Task[Any]) -> None:
    """Mark a failed background load's exception as seen (it is logged, callers re-ask)."""
    if not task.cancelled() and task.exception() is not None:
        log.info("market list not loaded: %s", task.exception())
