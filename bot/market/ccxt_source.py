"""``CcxtSource``: the live MarketSource over ccxt (spot venue + derivatives venues).

One ccxt instance per venue lives from ``start()`` to ``close()``; ``start()``
waits for nothing: market lists come from disk (``MarketsStore``) or load in the
background. A snapshot fetches the spot candles and ticker, every derivatives
venue, the tracked whales and the large-trade tapes concurrently under one
deadline (``timeout_seconds``) shared by everything, market list included; all
upstream calls go through one TTL/single-flight/stale-while-error cache, and
concurrent ``snapshot()`` calls for one symbol share a single build. A built snapshot
is reused until the first of its parts expires in the cache (nothing would change
before); for the symbols kept warm (``keep_warm``, the bot's configured ones) a request
within one ticker TTL after that gets the last snapshot at once while the next one is
built. With no spot price the perpetual venues' median mark price stands in
(``price_basis``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import statistics
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from types import MappingProxyType

from bot.config import Settings, SymbolSettings
from bot.errors import MissingReason, TemporaryVenueError, VenueError, VenueSymbolError
from bot.market.cache import TtlCache, collect_expiries
from bot.market.catalog import listed_bases, symbol_for
from bot.market.ccxt_errors import translate
from bot.market.deadline import Deadline
from bot.market.derivatives_builder import build_derivatives
from bot.market.gather import Fetch, gather_metrics
from bot.market.health import VenueHealth, VenueState
from bot.market.markets_store import MarketsStore
from bot.market.models import (
    CandleSeries,
    LargeTrade,
    MarketSnapshot,
    Missing,
    PriceBasis,
    Ticker,
    VenueDerivatives,
    ms_from_utc,
)
from bot.market.oi_ring import OiRings
from bot.market.source import configured_symbol
from bot.market.trade_tape import TradeTape
from bot.market.venue_spot import spot_candles, spot_ticker
from bot.market.venues import VenueClient
from bot.market.whale_watch import WHALE_VENUE, WhaleSighting, WhaleWatch
from bot.symbols import Listing

log = logging.getLogger(__name__)
#: Cache key and job name of the long daily history behind the outlook's odds.
HISTORY = "history_1d"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CcxtSource:
    """Live market snapshots from the configured venues."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime] = _utc_now) -> None:
        self._settings = settings
        self._clock = clock
        self._cache = TtlCache(settings.cache.stale_max_seconds)
        self._rings = OiRings()
        self._tapes: dict[tuple[str, str], TradeTape] = {}
        self._whales = WhaleWatch(settings, self._cache)
        self._clients: dict[str, VenueClient] = {}
        self._starting: asyncio.Future[None] | None = None
        self._building: dict[str, asyncio.Task[MarketSnapshot]] = {}
        #: symbol → (last snapshot built, cache time until which all of its parts are fresh)
        self._built: dict[str, tuple[MarketSnapshot, float]] = {}
        #: symbols refreshed in the background (their readers never wait for a rebuild)
        self._warm: set[str] = set()
        self._store = MarketsStore(settings.markets_cache_path())
        self.health = VenueHealth(clock)
        self._listing: tuple[int, Listing] | None = None
        self._catalog: dict[str, SymbolSettings | None] = {}

    @property
    def cache(self) -> TtlCache:
        """The shared cache (its ``upstream_calls`` counts fetches)."""
        return self._cache

    async def start(self) -> None:
        """Create one exchange per venue, with its market list from disk when kept there;
        lists absent or old are fetched in the background (nothing here waits for a venue).
        Concurrent callers share one start."""
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start())
        await asyncio.shield(self._starting)

    async def _start(self) -> None:
        for venue in self._venues():
            spot = venue == self._settings.venues.spot
            perp = venue in self._settings.venues.derivatives or venue == WHALE_VENUE
            client = VenueClient(venue, self._settings, spot, perp, self._store, self.health)
            self._clients[venue] = client
            client.warm()
            # let this venue's market-list request go out while the next one is built
            # (a ccxt exchange takes ~0.1 s of CPU to construct)
            await asyncio.sleep(0)

    async def markets_ready(self, timeout_seconds: float) -> tuple[str, ...]:
        """Wait up to ``timeout_seconds`` for market lists still loading (warm starts for
        tools and tests); the venues that have one."""
        clients = list(self._clients.values())
        done = await asyncio.wait_for(
            asyncio.gather(*(c.markets_ready() for c in clients)), timeout_seconds
        )
        return tuple(c.venue for c, ok in zip(clients, done, strict=True) if ok)

    def _venues(self) -> tuple[str, ...]:
        venues = self._settings.venues
        wanted = [venues.spot, *venues.derivatives]
        if self._settings.whales.tracked:
            wanted.append(WHALE_VENUE)
        return tuple(dict.fromkeys(wanted))

    def venue_states(self) -> tuple[VenueState, ...]:
        """Each venue's last success, last error (a code) and market-list age, for /status."""
        return self.health.states(self._venues())

    def listing(self) -> Listing | None:
        """The bases the spot venue lists (``None`` until its market list is loaded)."""
        client = self._clients.get(self._settings.venues.spot)
        markets = client.exchange.markets if client is not None else None
        if not markets:
            return None
        if self._listing is None or self._listing[0] != id(markets):
            self._listing = (id(markets), Listing(client.venue if client else "",
                                                  listed_bases(markets)))
            self._catalog.clear()
        return self._listing[1]

    def _symbol_of(self, base: str) -> SymbolSettings | None:
        """The settings of a listed, unconfigured ``base`` from the loaded market lists."""
        if base not in self._catalog:
            spot = self._clients[self._settings.venues.spot].exchange.markets or {}
            perps = {v: self._clients[v].exchange.markets or {}
                     for v in self._settings.venues.derivatives if v in self._clients}
            self._catalog[base] = symbol_for(base, spot, perps)
        return self._catalog[base]

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        """The current snapshot of ``symbol``; one build is shared by concurrent callers."""
        await self.start()
        if self._settings.symbol(symbol) is None and self.listing() is None:
            # an unconfigured coin needs the spot venue's list: wait for it within the deadline
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._clients[self._settings.venues.spot].markets_ready(),
                    self._settings.venues.timeout_seconds)
        cfg = configured_symbol(self._settings, symbol, self._symbol_of, self.listing)
        now = datetime.now(UTC)
        for client in self._clients.values():
            client.refresh_if_old(now)
        built = self._built.get(cfg.name)
        if built is not None and self._cache.now() < built[1]:
            return built[0]
        task = self._building.get(cfg.name)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._build(cfg))
            self._building[cfg.name] = task
            task.add_done_callback(partial(self._forget_build, cfg.name))
        grace = self._settings.cache.ticker_ttl
        if (built is not None and cfg.name in self._warm
                and self._cache.now() < built[1] + grace):
            return built[0]  # kept warm: the rebuild runs on, this reader does not wait
        return await asyncio.shield(task)

    async def keep_warm(self, symbols: tuple[str, ...]) -> None:
        """Build ``symbols``' snapshots now (concurrently); from then on a reader of one of
        them does not wait for its rebuild within a ticker TTL of its expiry."""
        results = await asyncio.gather(*(self.snapshot(s) for s in symbols),
                                       return_exceptions=True)
        for symbol, result in zip(symbols, results, strict=True):
            if isinstance(result, MarketSnapshot):
                self._warm.add(result.symbol)
            elif isinstance(result, Exception):
                log.info("%s not refreshed in the background: %s", symbol, result)

    def _forget_build(self, name: str, _task: asyncio.Task[MarketSnapshot]) -> None:
        self._building.pop(name, None)

    async def _build(self, cfg: SymbolSettings) -> MarketSnapshot:
        expiries = collect_expiries()  # this task's context: every part's cache read
        snapshot = await self._assemble(cfg)
        if expiries:
            self._built[cfg.name] = (snapshot, min(expiries))
        return snapshot

    async def _assemble(self, cfg: SymbolSettings) -> MarketSnapshot:
        now = self._clock()
        deadline = Deadline.after(self._settings.venues.timeout_seconds)
        derivative_venues = self._settings.venues.derivatives
        spot_part = self._spot(cfg, now, deadline)
        deriv_parts = [self._derivatives(v, cfg, now, deadline) for v in derivative_venues]
        tape_parts = [self._tape(v, cfg, now, deadline) for v in derivative_venues]
        whale_client = self._clients.get(WHALE_VENUE) if self._settings.whales.tracked else None
        (candles, ticker, spot_missing, spot_stale, history), derivs, tapes, whales = (
            await asyncio.gather(
            spot_part,
            asyncio.gather(*deriv_parts),
            asyncio.gather(*tape_parts),
            self._whales.fetch(whale_client, now, deadline),
        ))
        missing: list[Missing] = [*spot_missing]
        results: list[VenueDerivatives] = []
        for venue_derivs, venue_missing in derivs:
            missing.extend(venue_missing)
            if venue_derivs is not None:
                results.append(venue_derivs)
        trades: list[LargeTrade] = []
        for venue_trades, trade_missing in tapes:
            trades.extend(venue_trades)
            missing.extend(trade_missing)
        missing.extend(whales.missing)
        spot_venue = self._settings.venues.spot
        basis: PriceBasis = "spot"
        marks = [d for d in results if d.mark_price is not None]
        has_candles = any(len(series) for series in candles.values())
        if ticker is None and not has_candles and marks:
            basis = "mark"
            ticker = Ticker(cfg.spot, statistics.median(d.mark_price or 0.0 for d in marks), now)
        elif ticker is None and not has_candles:
            reasons = ", ".join(sorted({m.reason for m in spot_missing})) or "NO_ANSWER"
            if spot_missing and all(m.reason == MissingReason.NOT_LISTED for m in spot_missing):
                raise VenueSymbolError(spot_venue, f"no price data ({reasons})")  # for good
            raise TemporaryVenueError(spot_venue, f"no price data ({reasons})")
        return MarketSnapshot(
            symbol=cfg.name,
            as_of=now,
            source="live",
            candles=MappingProxyType(candles),
            ticker=ticker,
            derivatives=tuple(results),
            whales=self._whales.book(whales, tuple(trades), now),
            missing=tuple(missing),
            venues_requested=tuple(derivative_venues),
            spot_venue=spot_venue,
            price_basis=basis,
            price_venues=tuple(d.venue for d in marks) if basis == "mark" else (spot_venue,),
            stale_seconds=MappingProxyType(spot_stale),
            daily_history=history,
        )

    async def _spot(
        self, cfg: SymbolSettings, now: datetime, deadline: Deadline
    ) -> tuple[dict[str, CandleSeries], Ticker | None, list[Missing], dict[str, float],
               CandleSeries | None]:
        venue = self._settings.venues.spot
        client = self._clients[venue]
        now_ms = ms_from_utc(now)
        bars = self._settings.timeframes.bars
        ttl = self._settings.cache
        jobs: dict[str, tuple[object, float, Fetch]] = {
            f"candles_{tf}": (
                (venue, f"candles_{tf}", cfg.spot), ttl.candles_ttl,
                partial(spot_candles, client, cfg.spot, tf, bars, now_ms),
            )
            for tf in self._settings.timeframes.enabled
        }
        history = self._settings.timeframes.history_bars
        if history > bars:
            jobs[HISTORY] = (
                (venue, HISTORY, cfg.spot), ttl.history_ttl,
                partial(spot_candles, client, cfg.spot, "1d", history, now_ms),
            )
        jobs["ticker"] = (
            (venue, "ticker", cfg.spot), ttl.ticker_ttl,
            lambda: spot_ticker(client, cfg.spot, now_ms),
        )
        outcomes = await gather_metrics(venue, self._cache, jobs, deadline)
        candles: dict[str, CandleSeries] = {}
        ticker: Ticker | None = None
        missing: list[Missing] = []
        stale: dict[str, float] = {}
        history_series: CandleSeries | None = None
        for name, outcome in outcomes.items():
            if name == HISTORY:
                # optional: without it the odds use the daily bars above, and say how few
                if isinstance(outcome, VenueError):
                    log.info("%s: no long daily history (%s)", venue, outcome.reason)
                else:
                    bars_1d: CandleSeries = outcome.value
                    history_series = (bars_1d.slice(0, len(bars_1d) - 1) if bars_1d.forming
                                      else bars_1d)
                continue
            if isinstance(outcome, VenueError):
                missing.append(Missing(venue, name, outcome.reason, outcome.temporary))
                continue
            if outcome.stale:
                stale[name] = round(outcome.age_seconds, 1)
            if name == "ticker":
                ticker = outcome.value
            else:
                candles[name.removeprefix("candles_")] = outcome.value
        return candles, ticker, missing, stale, history_series

    async def _derivatives(
        self, venue: str, cfg: SymbolSettings, now: datetime, deadline: Deadline
    ) -> tuple[VenueDerivatives | None, tuple[Missing, ...]]:
        market = cfg.markets.get(venue)
        if market is None:
            reason = (MissingReason.NOT_CONFIGURED if self._settings.symbol(cfg.name)
                      else MissingReason.NOT_LISTED)
            return None, (Missing(venue, "*", reason, False),)
        try:
            result = await build_derivatives(
                self._clients[venue], market, self._cache, self._rings,
                self._settings.cache.derivatives_ttl, deadline, now,
            )
        except Exception as e:  # an answer no parser foresaw costs this venue, not the reply
            error = translate(venue, e)
            log.warning("%s: derivatives left out: %s", venue, error.detail)
            return None, (Missing(venue, "*", error.reason, error.temporary),)
        return result.derivatives, result.missing

    async def _tape(
        self, venue: str, cfg: SymbolSettings, now: datetime, deadline: Deadline
    ) -> tuple[tuple[LargeTrade, ...], tuple[Missing, ...]]:
        market = cfg.markets.get(venue)
        if market is None:
            return (), ()
        client = self._clients[venue]
        tape = self._tapes.setdefault(
            (venue, market), TradeTape(self._settings.whales.large_trade_usd)
        )
        now_ms = ms_from_utc(now)
        outcomes = await gather_metrics(
            venue, self._cache,
            {"large_trades": (
                (venue, "trades", market), self._settings.cache.ticker_ttl,
                lambda: tape.poll(client, market, now_ms),
            )},
            deadline,
        )
        outcome = outcomes["large_trades"]
        if isinstance(outcome, VenueError):
            return (), (Missing(venue, "large_trades", outcome.reason, outcome.temporary),)
        return outcome.value, ()

    async def whale_sighting(self, addresses: Sequence[tuple[str, str]]) -> WhaleSighting:
        """The positions and transfers of ``addresses`` ((address, label) pairs) now, polled
        directly on Hyperliquid (cached for ``whales_ttl``)."""
        now = self._clock()
        client = self._clients.get(WHALE_VENUE)
        if client is None and addresses:
            client = VenueClient(WHALE_VENUE, self._settings, False, True, self._store,
                                 self.health)
            self._clients[WHALE_VENUE] = client
        deadline = Deadline.after(self._settings.venues.timeout_seconds)
        fetched = await self._whales.fetch(client, now, deadline, addresses)
        return WhaleSighting(now, tuple(fetched.traders), tuple(fetched.deposits),
                             missing=tuple(fetched.missing))

    async def close(self) -> None:
        """Cancel pending work and close every venue's HTTP session."""
        for task in list(self._building.values()):
            task.cancel()
        await self._cache.close()
        if self._starting is not None:
            await asyncio.gather(self._starting, return_exceptions=True)
        await asyncio.gather(*(c.close() for c in self._clients.values()))
        self._clients.clear()
        self._starting = None
