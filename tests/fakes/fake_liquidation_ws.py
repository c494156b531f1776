"""Fake liquidation websockets on 127.0.0.1, one aiohttp server per venue, native frames.

Usage::

    async with running_liquidation_ws() as ws:
        settings = ws.settings(base)                 # liquidations.ws_url → the fake
        await ws.subscribed("bybit", "BTC")          # the client subscribed BTC's topic
        await ws.push("bybit", "BTC", "long", 2_000_000, 97_000.0)
        await ws.drop("okx")                         # close every okx connection
        assert ws.errors == []                       # nothing unexpected was sent to us

Each server answers the venue's own subscribe message as the venue does and then pushes
liquidations in its native shape: Binance USDⓈ-M ``/market/ws/<n>`` (``SUBSCRIBE`` of
``<symbol>@forceOrder`` → ``{"result": null, "id": …}``; ``forceOrder`` events whose
``S`` is the liquidation order's side), Bybit ``/v5/public/linear`` (``op: subscribe`` of
``allLiquidation.<SYMBOL>``, JSON ``ping``; ``S`` is the position's side), OKX
``/ws/v5/public`` (``liquidation-orders`` for ``instType`` SWAP, text ``ping``; sizes in
contracts of the fake market's ``contract_size``). Anything else is recorded in
``errors`` and the connection is closed.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

from bot.config import Settings
from tests.fakes.fake_market import FakeMarket, default_market
from tests.fakes.loopback_server import serve_on_loopback

PATHS = {"binanceusdm": "/market/ws/", "bybit": "/v5/public/linear", "okx": "/ws/v5/public"}


@dataclass
class Connection:
    """One client connection and the coins it subscribed."""

    ws: web.WebSocketResponse
    coins: set[str] = field(default_factory=set)


@dataclass
class FakeLiquidationVenue:
    """One venue's server: live connections, what they sent, refusal switch."""

    name: str
    market: FakeMarket
    errors: list[str]
    url: str = ""
    connections: list[Connection] = field(default_factory=list)
    received: list[Any] = field(default_factory=list)
    accepted: int = 0
    refused: int = 0
    refusing: bool = False
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Upgrade (unless refusing), then answer frames in the venue's protocol."""
        if not request.path.startswith(PATHS[self.name]):
            self.errors.append(f"{self.name}: unexpected path {request.path}")
            return web.Response(status=404)
        if self.refusing:
            self.refused += 1
            self._notify()
            return web.Response(status=503, text="service unavailable")
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = Connection(ws)
        self.connections.append(conn)
        self.accepted += 1
        self._notify()
        try:
            async for frame in ws:
                if frame.type != WSMsgType.TEXT:
                    continue
                self.received.append(frame.data)
                if not await self._answer(conn, frame.data):
                    await ws.close()
                    break
        finally:
            if conn in self.connections:
                self.connections.remove(conn)
            self._notify()
        return ws

    def _notify(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()

    def _coin_of(self, market_id: str) -> str | None:
        for coin in self.market.coins:
            ids = {"binanceusdm": f"{coin.lower()}usdt@forceOrder",
                   "bybit": f"allLiquidation.{coin}USDT"}
            if ids.get(self.name) == market_id:
                return coin
        return None

    def _unexpected(self, text: str) -> bool:
        self.errors.append(f"{self.name}: unexpected message {text[:200]}")
        return False

    async def _answer(self, conn: Connection, text: str) -> bool:
        """Answer one client frame; ``False`` (after recording why) closes the connection."""
        if self.name == "okx" and text == "ping":
            await conn.ws.send_str("pong")
            return True
        try:
            msg = json.loads(text)
        except ValueError:
            return self._unexpected(text)
        if self.name == "binanceusdm" and msg.get("method") == "SUBSCRIBE":
            coins = [self._coin_of(p) for p in msg.get("params") or []]
            if not coins or None in coins or not isinstance(msg.get("id"), int):
                return self._unexpected(text)
            conn.coins.update(c for c in coins if c)
            await conn.ws.send_json({"result": None, "id": msg["id"]})
        elif self.name == "bybit" and msg.get("op") in ("subscribe", "ping"):
            reply = {"success": True, "ret_msg": "" if msg["op"] == "subscribe" else "pong",
                     "conn_id": str(uuid.uuid4()), "req_id": msg.get("req_id"),
                     "op": msg["op"]}
            if msg["op"] == "subscribe":
                coins = [self._coin_of(a) for a in msg.get("args") or []]
                if not coins or None in coins:
                    return self._unexpected(text)
                conn.coins.update(c for c in coins if c)
            await conn.ws.send_json(reply)
        elif self.name == "okx" and msg.get("op") == "subscribe":
            args = msg.get("args") or []
            if args != [{"channel": "liquidation-orders", "instType": "SWAP"}]:
                return self._unexpected(text)
            conn.coins.update(self.market.coins)  # OKX pushes every swap instrument
            await conn.ws.send_json({"event": "subscribe", "arg": args[0],
                                     "connId": uuid.uuid4().hex[:8]})
        else:
            return self._unexpected(text)
        self._notify()
        return True

    def frame(self, coin: str, side: str, usd: float, price: float, at: datetime) -> Any:
        """A native frame: ``side`` ("long"/"short") is the liquidated position's."""
        ms = int(at.timestamp() * 1000)
        qty = usd / price
        if self.name == "binanceusdm":
            q = f"{qty:.3f}"
            return {"e": "forceOrder", "E": ms + 2, "o": {
                "s": f"{coin}USDT", "S": "SELL" if side == "long" else "BUY", "o": "LIMIT",
                "f": "IOC", "q": q, "p": f"{price * (0.99 if side == 'long' else 1.01):.2f}",
                "ap": f"{price:.2f}", "X": "FILLED", "l": q, "z": q, "T": ms}}
        if self.name == "bybit":
            return {"topic": f"allLiquidation.{coin}USDT", "type": "snapshot", "ts": ms + 2,
                    "data": [{"T": ms, "s": f"{coin}USDT", "S": "Buy" if side == "long"
                              else "Sell", "v": f"{qty:.3f}", "p": f"{price:.2f}"}]}
        size = self.market.coins[coin].perps["okx"].contract_size
        return {"arg": {"channel": "liquidation-orders", "instType": "SWAP"}, "data": [{
            "details": [{"bkLoss": "0", "bkPx": f"{price:.2f}", "ccy": "", "posSide": side,
                         "side": "sell" if side == "long" else "buy",
                         "sz": f"{qty / size:.2f}", "ts": str(ms)}],
            "instFamily": f"{coin}-USDT", "instId": f"{coin}-USDT-SWAP", "instType": "SWAP",
            "uly": f"{coin}-USDT"}]}


class FakeLiquidationWs:
    """The running fake: per-venue servers, pushes, drops and refusals."""

    def __init__(self, market: FakeMarket) -> None:
        self.errors: list[str] = []
        self.venues = {name: FakeLiquidationVenue(name, market, self.errors) for name in PATHS}

    def settings(self, base: Settings, **liquidations: Any) -> Settings:
        """``base`` with every venue's ``ws_url`` pointing here (plus overrides)."""
        urls = {name: v.url for name, v in self.venues.items()}
        conf = base.liquidations.model_copy(update={"ws_url": urls, **liquidations})
        return base.model_copy(update={"liquidations": conf})

    async def _until(self, venue: str, check: Any, timeout: float) -> None:
        server = self.venues[venue]
        async with asyncio.timeout(timeout):
            while not check(server):
                await server.changed.wait()

    async def subscribed(self, venue: str, coin: str, timeout: float = 10.0) -> None:
        """Wait until a connection to ``venue`` has subscribed ``coin``."""
        await self._until(venue, lambda s: any(coin in c.coins for c in s.connections),
                          timeout)

    async def refused_at_least(self, venue: str, count: int, timeout: float = 10.0) -> None:
        """Wait until ``venue`` has refused ``count`` connection attempts."""
        await self._until(venue, lambda s: s.refused >= count, timeout)

    async def push(self, venue: str, coin: str, side: str, usd: float, price: float,
                   at: datetime | None = None) -> int:
        """Send one liquidation to every connection subscribed to ``coin``; how many."""
        server = self.venues[venue]
        frame = server.frame(coin, side, usd, price, at or datetime.now(UTC))
        targets = [c for c in server.connections if coin in c.coins]
        for conn in targets:
            await conn.ws.send_json(frame)
        return len(targets)

    async def drop(self, venue: str) -> None:
        """Close every connection of ``venue`` from the server side."""
        for conn in list(self.venues[venue].connections):
            await conn.ws.close()

    def refuse(self, venue: str, refusing: bool = True) -> None:
        """Answer new connection attempts to ``venue`` with 503 (until called with False)."""
        self.venues[venue].refusing = refusing


@asynccontextmanager
async def running_liquidation_ws(market: FakeMarket | None = None
                                 ) -> AsyncIterator[FakeLiquidationWs]:
    """Start the three venue servers on 127.0.0.1 (random ports); stop them on exit."""
    fake = FakeLiquidationWs(market or default_market())
    runners: list[web.AppRunner] = []
    try:
        for venue in fake.venues.values():
            runner = await serve_on_loopback(venue.handle, "GET")
            runners.append(runner)
            venue.url = f"ws://127.0.0.1:{runner.addresses[0][1]}"
        yield fake
    finally:
        for venue in fake.venues.values():
            for conn in list(venue.connections):
                await conn.ws.close()
        for runner in runners:
            await runner.cleanup()
