"""Each venue's public liquidation stream through ccxt.pro, kept open with backoff.

One :class:`VenueStream` per venue owns a ``ccxt.pro`` exchange (imported here only, and
lazily): Binance USDⓈ-M and OKX watch every coin in one call
(``watch_liquidations_for_symbols``: ``<symbol>@forceOrder`` streams, the
``liquidation-orders`` channel), Bybit one call per coin (``watch_liquidations``:
``allLiquidation.<SYMBOL>``), all on one connection per venue. A dropped or refused
connection is retried after an exponential, capped and jittered backoff (reset once the
venue answers again); what happens is recorded in :class:`StreamHealth` for ``/status``.
ccxt's failures become ``bot.errors`` here; a venue without the capability stops its
stream (``NOT_OFFERED``) instead of retrying.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.config import Settings
from bot.errors import VenueError, VenueNotSupportedError
from bot.market.ccxt_errors import call_translated, translate
from bot.market.liquidations import Liquidation, StreamHealth, from_ccxt, watched_markets
from bot.market.markets_store import MarketsStore
from bot.market.urls import apply_api_url, rebase_api_urls
from bot.market.venues import market_types

log = logging.getLogger(__name__)
Deliver = Callable[[list[Liquidation]], Awaitable[None]]
#: Venues whose ccxt class watches many symbols in one call.
FOR_SYMBOLS = frozenset({"binanceusdm", "okx"})


class Backoff:
    """Delays of 1, 2, 4 … × ``base`` seconds up to ``cap``, each jittered to 50–100 %."""

    def __init__(self, base: float, cap: float,
                 rng: Callable[[], float] = random.random) -> None:
        self.base = base
        self.cap = cap
        self._rng = rng
        self.attempt = 0

    def next(self) -> float:
        """The next delay (and count the attempt)."""
        delay = min(self.cap, self.base * 2 ** min(self.attempt, 30))
        self.attempt += 1
        return delay * (0.5 + 0.5 * self._rng())

    def reset(self) -> None:
        """Start from ``base`` again (the venue answered)."""
        self.attempt = 0


def new_pro_exchange(venue: str, settings: Settings) -> Any:
    """The ``ccxt.pro`` exchange of ``venue`` with the configured URL overrides."""
    # heavy: imported only when a stream starts, and only this venue's module
    exchange_cls = getattr(importlib.import_module(f"ccxt.pro.{venue}"), venue)
    exchange = exchange_cls({"enableRateLimit": True,
                             "timeout": int(settings.venues.timeout_seconds * 1000)})
    fetch_markets = dict(exchange.options.get("fetchMarkets") or {})
    fetch_markets["types"] = market_types(venue, spot=False, perp=True)
    exchange.options["fetchMarkets"] = fetch_markets
    rest = settings.venues.api_url.get(venue)
    if rest:  # the REST override serves the market list; websockets follow ``ws_url`` only
        streams = exchange.urls["api"].get("ws")
        apply_api_url(exchange, rest)
        exchange.urls["api"]["ws"] = streams
    ws = settings.liquidations.ws_url.get(venue)
    if ws:
        exchange.urls["api"]["ws"] = rebase_api_urls(exchange.urls["api"]["ws"], ws)
    return exchange


class VenueStream:
    """The liquidation stream of one venue for the coins in ``markets`` (ccxt symbol → coin)."""

    def __init__(self, venue: str, settings: Settings, markets: Mapping[str, str],
                 health: StreamHealth, deliver: Deliver,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rng: Callable[[], float] = random.random) -> None:
        self.venue = venue
        self.markets = dict(markets)
        self._settings = settings
        self._health = health
        self._deliver = deliver
        self._sleep = sleep
        conf = settings.liquidations
        self.backoff = Backoff(conf.backoff_seconds, conf.backoff_max_seconds, rng)
        self.exchange: Any = None
        self._captured: list[Any] = []
        self._arrived = asyncio.Event()

    async def run(self) -> None:
        """Stream until cancelled (or the venue turns out not to offer the stream)."""
        self._health.connecting(self.venue)
        try:
            while True:
                try:
                    await self._stream()
                except VenueNotSupportedError as e:
                    log.warning("%s: no liquidation stream: %s", self.venue, e.detail)
                    self._health.stopped(self.venue, e.reason)
                    return
                except Exception as e:  # anything else: reconnect (a bug must not end it)
                    error = e if isinstance(e, VenueError) else translate(self.venue, e)
                    if not isinstance(e, VenueError):
                        log.exception("%s liquidation stream failed", self.venue)
                    delay = self.backoff.next()
                    log.warning("%s liquidation stream dropped (%s); reconnecting in %.1fs",
                                self.venue, error.reason, delay)
                    self._health.reconnecting(self.venue, error.reason)
                    await self._sleep(delay)
        finally:
            self._health.stopped(self.venue)
            if self.exchange is not None:
                await _close(self.exchange)

    def _exchange(self) -> Any:
        if self.exchange is None:
            self.exchange = new_pro_exchange(self.venue, self._settings)
            handle, connected = self.exchange.handle_message, self.exchange.on_connected
            parse = self.exchange.parse_ws_liquidation

            def capture(raw: Any, market: Any = None) -> Any:
                parsed = parse(raw, market)
                self._captured.append(parsed)
                self._arrived.set()
                return parsed

            def on_frame(client: Any, message: Any) -> Any:
                self._health.message(self.venue)
                return handle(client, message)

            def on_connected(client: Any, message: Any = None) -> Any:
                self._health.connected(self.venue)
                self.backoff.reset()
                return connected(client, message)

            self.exchange.handle_message = on_frame
            self.exchange.parse_ws_liquidation = capture
            self.exchange.on_connected = on_connected
        return self.exchange

    async def _markets(self, exchange: Any) -> None:
        if exchange.markets:
            return
        types = market_types(self.venue, spot=False, perp=True)
        saved = MarketsStore(self._settings.markets_cache_path()).load(self.venue, types)
        if saved is not None:
            try:
                exchange.set_markets(saved.markets, saved.currencies or None)
                return
            except Exception as e:  # an unusable saved list: fetch a fresh one
                log.info("%s: saved market list unusable (%s)", self.venue, e)
        await call_translated(self.venue, exchange.load_markets)

    def _watchers(self, exchange: Any) -> list[Callable[[], Awaitable[Any]]]:
        symbols = [s for s in self.markets if s in exchange.markets]
        for missing in sorted(set(self.markets) - set(symbols)):
            log.warning("%s does not list %s: its liquidations are not watched",
                        self.venue, missing)
        if not symbols:
            raise VenueNotSupportedError(self.venue, "none of the watched coins is listed")
        if self.venue in FOR_SYMBOLS:
            return [lambda: exchange.watch_liquidations_for_symbols(symbols)]
        return [lambda s=s: exchange.watch_liquidations(s) for s in symbols]  # type: ignore[misc]

    async def _stream(self) -> None:
        """Open (or reopen) the stream and deliver what it brings; returns only by raising.

        The watch calls keep the subscriptions open and surface failures; the liquidations
        themselves are taken as ccxt parses them (``capture``): a watch call returns only
        the one that resolved it, and those arriving before the next call would be lost.
        """
        exchange = self._exchange()
        await self._markets(exchange)
        tasks: dict[asyncio.Future[Any], Callable[[], Awaitable[Any]]] = {}

        def watch(fn: Callable[[], Awaitable[Any]]) -> None:
            tasks[asyncio.ensure_future(call_translated(self.venue, fn))] = fn

        for fn in self._watchers(exchange):
            watch(fn)
        arrived: asyncio.Future[Any] | None = None
        try:
            while True:
                arrived = asyncio.ensure_future(self._arrived.wait())
                done, _ = await asyncio.wait([*tasks, arrived],
                                             return_when=asyncio.FIRST_COMPLETED)
                arrived.cancel()
                for task in done & tasks.keys():
                    task.result()  # a failed watch ends this connection
                    watch(tasks.pop(task))
                await self._flush()
        finally:
            for task in [*tasks, *([arrived] if arrived else [])]:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _flush(self) -> None:
        """Deliver the liquidations captured since the last flush."""
        raws, self._captured = self._captured, []
        self._arrived.clear()
        if raws:
            batch = self._translate(raws)
            self._health.message(self.venue, len(batch))
            if batch:
                await self._deliver(batch)

    def _translate(self, raws: Any) -> list[Liquidation]:
        """ccxt liquidation structures → ours; an unreadable one is logged and skipped."""
        found: list[Liquidation] = []
        for raw in raws if isinstance(raws, list) else []:
            symbol = str(raw.get("symbol")) if isinstance(raw, dict) else ""
            coin = self.markets.get(symbol)
            if coin is None:
                continue
            market = (self.exchange.markets or {}).get(symbol) or {}
            try:
                found.extend(from_ccxt(self.venue, coin, raw, market.get("contractSize")))
            except VenueError as e:
                log.warning("%s: liquidation skipped: %s", self.venue, e.detail)
        return found


async def _close(exchange: Any) -> None:
    try:
        await exchange.close()
    except Exception as e:  # closing must never mask why the stream ended
        log.debug("closing a liquidation stream failed: %s", e)


class LiquidationStreams:
    """Every configured venue's stream as one background task each; started and stopped
    as one."""

    def __init__(self, settings: Settings, deliver: Deliver,
                 health: StreamHealth | None = None) -> None:
        self._settings = settings
        self._deliver = deliver
        self.health = health or StreamHealth()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def running(self) -> bool:
        """Whether the streams are started (and not stopped)."""
        return bool(self._tasks)

    def start(self) -> None:
        """Start a stream per venue with watched coins (no-op when running)."""
        if self._tasks:
            return
        for venue in self._settings.liquidations.venues:
            markets = watched_markets(self._settings, venue)
            if markets:
                stream = VenueStream(venue, self._settings, markets, self.health,
                                     self._deliver)
                self._tasks.append(asyncio.create_task(stream.run(),
                                                       name=f"liquidations-{venue}"))

    async def stop(self) -> None:
        """Close every stream and wait for them to finish."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
