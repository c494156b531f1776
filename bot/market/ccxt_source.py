"""``CcxtSource``: the live MarketSource over ccxt (spot venue + derivatives venues).

One ccxt instance per venue lives from ``start()`` to ``close()``. A snapshot
fetches the spot candles and ticker, every derivatives venue, the tracked whales
and the large-trade tapes concurrently, each venue under its own deadline; all
upstream calls go through one TTL/single-flight/stale-while-error cache, and
concurrent ``snapshot()`` calls for one symbol share a single build.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from types import MappingProxyType

from bot.config import Settings, SymbolSettings
from bot.errors import TemporaryVenueError, VenueError
from bot.market.cache import TtlCache
from bot.market.derivatives_builder import build_derivatives
from bot.market.gather import Fetch, gather_metrics
from bot.market.models import (
    CandleSeries,
    LargeTrade,
    MarketSnapshot,
    Missing,
    Ticker,
    VenueDerivatives,
    ms_from_utc,
)
from bot.market.oi_ring import OiRings
from bot.market.source import configured_symbol
from bot.market.trade_tape import TradeTape
from bot.market.venue_spot import spot_candles, spot_ticker
from bot.market.venues import VenueClient
from bot.market.whale_watch import WHALE_VENUE, WhaleWatch

log = logging.getLogger(__name__)


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
        self._building: dict[str, asyncio.Task[MarketSnapshot]] = {}

    @property
    def cache(self) -> TtlCache:
        """The shared cache (its ``upstream_calls`` counts fetches)."""
        return self._cache

    async def start(self) -> None:
        """Create one exchange per venue and load their markets once (failures retried later)."""
        if self._clients:
            return
        venues = self._settings.venues
        wanted = [venues.spot, *venues.derivatives]
        if self._settings.whales.tracked:
            wanted.append(WHALE_VENUE)
        for venue in dict.fromkeys(wanted):
            spot = venue == venues.spot
            perp = venue in venues.derivatives or venue == WHALE_VENUE
            self._clients[venue] = VenueClient(venue, self._settings, spot, perp)
        results = await asyncio.gather(
            *(c.load_markets() for c in self._clients.values()), return_exceptions=True
        )
        for client, result in zip(self._clients.values(), results, strict=True):
            if isinstance(result, BaseException):
                log.warning("%s: markets not loaded yet: %s", client.venue, result)

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        """The current snapshot of ``symbol``; one build is shared by concurrent callers."""
        cfg = configured_symbol(self._settings, symbol)
        await self.start()
        task = self._building.get(cfg.name)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._build(cfg))
            self._building[cfg.name] = task
            task.add_done_callback(partial(self._forget_build, cfg.name))
        return await asyncio.shield(task)

    def _forget_build(self, name: str, _task: asyncio.Task[MarketSnapshot]) -> None:
        self._building.pop(name, None)

    async def _build(self, cfg: SymbolSettings) -> MarketSnapshot:
        now = self._clock()
        derivative_venues = self._settings.venues.derivatives
        spot_part = self._spot(cfg, now)
        deriv_parts = [self._derivatives(v, cfg, now) for v in derivative_venues]
        tape_parts = [self._tape(v, cfg, now) for v in derivative_venues]
        whale_client = self._clients.get(WHALE_VENUE) if self._settings.whales.tracked else None
        (candles, ticker, spot_missing), derivs, tapes, whales = await asyncio.gather(
            spot_part,
            asyncio.gather(*deriv_parts),
            asyncio.gather(*tape_parts),
            self._whales.fetch(whale_client, now),
        )
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
        if ticker is None and not any(len(series) for series in candles.values()):
            reasons = "; ".join(sorted({m.reason for m in spot_missing})) or "no answer"
            raise TemporaryVenueError(self._settings.venues.spot, f"no price data ({reasons})")
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
        )

    async def _spot(
        self, cfg: SymbolSettings, now: datetime
    ) -> tuple[dict[str, CandleSeries], Ticker | None, list[Missing]]:
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
        jobs["ticker"] = (
            (venue, "ticker", cfg.spot), ttl.ticker_ttl,
            lambda: spot_ticker(client, cfg.spot, now_ms),
        )
        outcomes = await gather_metrics(
            venue, self._cache, jobs, self._settings.venues.timeout_seconds
        )
        candles: dict[str, CandleSeries] = {}
        ticker: Ticker | None = None
        missing: list[Missing] = []
        for name, outcome in outcomes.items():
            if isinstance(outcome, VenueError):
                missing.append(Missing(venue, name, outcome.reason, outcome.temporary))
            elif name == "ticker":
                ticker = outcome.value
            else:
                candles[name.removeprefix("candles_")] = outcome.value
        return candles, ticker, missing

    async def _derivatives(
        self, venue: str, cfg: SymbolSettings, now: datetime
    ) -> tuple[VenueDerivatives | None, tuple[Missing, ...]]:
        market = cfg.markets.get(venue)
        if market is None:
            return None, (Missing(venue, "*", f"no {venue} market configured", False),)
        result = await build_derivatives(
            self._clients[venue], market, self._cache, self._rings,
            self._settings.cache.derivatives_ttl, self._settings.venues.timeout_seconds, now,
        )
        return result.derivatives, result.missing

    async def _tape(
        self, venue: str, cfg: SymbolSettings, now: datetime
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
            self._settings.venues.timeout_seconds,
        )
        outcome = outcomes["large_trades"]
        if isinstance(outcome, VenueError):
            return (), (Missing(venue, "large_trades", outcome.reason, outcome.temporary),)
        return outcome.value, ()

    async def close(self) -> None:
        """Cancel pending work and close every venue's HTTP session."""
        for task in list(self._building.values()):
            task.cancel()
        await self._cache.close()
        await asyncio.gather(*(c.close() for c in self._clients.values()))
        self._clients.clear()
