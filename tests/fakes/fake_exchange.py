"""A fake crypto exchange on 127.0.0.1: one aiohttp server per venue, native JSON, faults.

Usage::

    async with running_fake_exchange() as fx:
        settings = fx.settings(base_settings)      # venues.api_url → the fake
        fx.fault("okx", "5xx")                      # okx answers 503 from now on
        ...
        assert fx.errors == []                      # no request hit an unknown route

Routes: binance spot ``/api/v3``, binanceusdm ``/fapi`` + ``/futures/data``, okx
``/api/v5`` (``{"code":"0","data":[...]}``), bybit ``/v5``, hyperliquid ``POST /info``
by body ``type``. An unknown route answers 404 *and* is recorded in ``errors``.
Faults per venue and endpoint (``match``), optionally only after the first ``after``
requests and only ``times`` times: ``latency``, ``timeout``, ``5xx`` (503), ``500``,
``429`` (with ``Retry-After`` when ``retry_after`` is given), ``malformed`` (JSON cut
off), ``garbage`` (every value null), ``empty`` (every list empty); ``hide(venue,
coin)`` delists a market; ``refuse(venue)`` points the venue at a closed port.
``loopback_only`` is a fixture that fails a test whose code connects beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.config import Settings
from bot.resources import default_config_path
from tests.fakes import fake_venue_binance as binance
from tests.fakes import fake_venue_bybit as bybit
from tests.fakes import fake_venue_hyperliquid as hyperliquid
from tests.fakes import fake_venue_okx as okx
from tests.fakes.fake_market import FakeMarket, Handler, NotListed, default_market
from tests.fakes.loopback_server import serve_on_loopback

FAULT_KINDS = ("latency", "timeout", "5xx", "500", "429", "malformed", "garbage", "empty")
VENUE_ROUTES: dict[str, tuple[dict[str, Handler], tuple[int, Any]]] = {
    "binance": (binance.SPOT_ROUTES, binance.NOT_LISTED),
    "binanceusdm": (binance.FUTURES_ROUTES, binance.NOT_LISTED),
    "okx": (okx.ROUTES, okx.NOT_LISTED),
    "bybit": (bybit.ROUTES, bybit.NOT_LISTED),
    "hyperliquid": (hyperliquid.INFO_TYPES, hyperliquid.NOT_LISTED),
}
RATE_LIMITED = {
    "binance": {"code": -1003, "msg": "Too many requests."},
    "binanceusdm": {"code": -1003, "msg": "Too many requests."},
    "okx": {"code": "50011", "msg": "Rate limit reached.", "data": []},
    "bybit": {"retCode": 10006, "retMsg": "Too many visits!", "result": {}},
    "hyperliquid": None,
}


@dataclass
class Fault:
    """An injected misbehaviour; ``match`` limits it to routes containing the text."""

    kind: str
    seconds: float = 0.0
    match: str | None = None
    remaining: int | None = None
    after: int = 0
    retry_after: float | None = None


@dataclass
class FakeVenue:
    """One venue's server state: requests seen, faults, delisted coins."""

    name: str
    market: FakeMarket
    errors: list[str]
    closing: asyncio.Event
    latency: float = 0.0
    requests: list[str] = field(default_factory=list)
    #: when each request arrived (``time.perf_counter``), in the order of ``requests``
    arrivals: list[float] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    hidden: set[str] = field(default_factory=set)
    url: str = ""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Route, apply faults, answer in the venue's JSON."""
        params: dict[str, Any] = dict(request.query)
        key = f"{request.method} {request.path}"
        routes, not_listed = VENUE_ROUTES[self.name]
        if self.name == "hyperliquid" and key == "POST /info":
            params = await request.json()
            key = str(params.get("type"))
        self.requests.append(key)
        self.arrivals.append(time.perf_counter())
        delay = self.latency + sum(
            f.seconds for f in self.faults
            if f.kind == "latency" and (f.match is None or f.match in key)
        )
        if delay:
            await self._sleep(delay)
        fault = self._take_fault(key)
        if fault is not None and fault.kind not in ("garbage", "empty"):
            return await self._faulty(fault)
        handler = routes.get(key)
        if handler is None:
            self.errors.append(f"{self.name}: unknown route {key} {params}")
            return web.json_response({"error": f"fake has no route {key}"}, status=404)
        try:
            body = handler(self.market, self.hidden, params)
        except NotListed:
            status, payload = not_listed
            return web.json_response(payload, status=status)
        if fault is not None:
            body = _nulls(body) if fault.kind == "garbage" else _empty(body)
        return web.json_response(body)

    def _take_fault(self, key: str) -> Fault | None:
        for fault in self.faults:
            if fault.match is not None and fault.match not in key:
                continue
            if fault.kind == "latency":
                continue
            if fault.after > 0:
                fault.after -= 1
                continue
            if fault.remaining is not None:
                if fault.remaining <= 0:
                    continue
                fault.remaining -= 1
            return fault
        return None

    async def _faulty(self, fault: Fault) -> web.StreamResponse:
        if fault.kind == "timeout":
            await self._sleep(fault.seconds or 60.0)
            return web.Response(status=504, text="gateway timeout")
        if fault.kind == "5xx":
            return web.Response(status=503, text="<html>503 Service Unavailable</html>")
        if fault.kind == "500":
            return web.Response(status=500, text="<html>500 Internal Server Error</html>")
        if fault.kind == "429":
            headers = {} if fault.retry_after is None else {
                "Retry-After": f"{fault.retry_after:g}"}
            return web.json_response(RATE_LIMITED[self.name], status=429, headers=headers)
        return web.Response(status=200, text='{"code": "0", "data": [{"instId": ',
                            content_type="application/json")

    async def _sleep(self, seconds: float) -> None:
        """Sleep, cut short when the fake shuts down."""
        with suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), seconds)


def _nulls(value: Any) -> Any:
    """The same JSON shape with every leaf replaced by null."""
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulls(v) for v in value]
    return None


def _empty(value: Any) -> Any:
    """The same JSON with every list emptied (no candles, no rows, no markets)."""
    if isinstance(value, dict):
        return {k: _empty(v) for k, v in value.items()}
    if isinstance(value, list):
        return []
    return value


def closed_port_url() -> str:
    """A loopback URL nothing listens on (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FakeExchange:
    """The running fake: venues, their URLs, fault injection and request counts."""

    def __init__(self, market: FakeMarket) -> None:
        self.market = market
        self.errors: list[str] = []
        #: market lists cached by the bot under test (fresh per fake: every run starts cold)
        self.cache_dir = Path(tempfile.mkdtemp(prefix="fake-exchange-markets-"))
        self._closing = asyncio.Event()
        self.venues = {
            name: FakeVenue(name, market, self.errors, self._closing) for name in VENUE_ROUTES
        }

    def url(self, venue: str) -> str:
        """Base URL of ``venue``'s server."""
        return self.venues[venue].url

    def settings(self, base: Settings, **venue_settings: Any) -> Settings:
        """``base`` with every venue's ``api_url`` pointing here (plus venue setting overrides)."""
        urls = {name: v.url for name, v in self.venues.items()}
        update = {"api_url": urls, "markets_cache_dir": str(self.cache_dir), **venue_settings}
        venues = base.venues.model_copy(update=update)
        return base.model_copy(update={"venues": venues})

    def write_config(self, path: Path, template: Path | None = None) -> Path:
        """A copy of ``template`` (default: the bundled config.toml) pointing at the fake."""
        text = (template or default_config_path()).read_text(encoding="utf-8")
        urls = "".join(f'{name} = "{v.url}"\n' for name, v in self.venues.items())
        if "[venues.api_url]\n" not in text:
            raise ValueError("config template has no [venues.api_url] table")
        text = text.replace('markets_cache_dir = ""', f'markets_cache_dir = "{self.cache_dir}"', 1)
        path.write_text(text.replace("[venues.api_url]\n", "[venues.api_url]\n" + urls, 1),
                        encoding="utf-8")
        return path

    def fault(self, venue: str, kind: str, seconds: float = 0.0, match: str | None = None,
              times: int | None = None, after: int = 0,
              retry_after: float | None = None) -> None:
        """Inject a fault at ``venue`` on routes containing ``match``, after the first
        ``after`` such requests, ``times`` times (None = all)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}")
        if venue not in self.venues:
            raise ValueError(f"unknown venue {venue!r}")
        self.venues[venue].faults.append(Fault(kind, seconds, match, times, after, retry_after))

    def refuse(self, venue: str) -> None:
        """Point ``venue`` at a closed port (call before ``settings``/``write_config``)."""
        self.venues[venue].url = closed_port_url()

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        for venue in self.venues.values():
            venue.faults.clear()

    def set_latency(self, seconds: float) -> None:
        """Delay every answer of every venue by ``seconds``."""
        for venue in self.venues.values():
            venue.latency = seconds

    def hide(self, venue: str, coin: str) -> None:
        """Delist ``coin`` at ``venue``: markets omit it, requests get the venue's error."""
        self.venues[venue].hidden.add(coin)

    def request_count(self, venue: str | None = None) -> int:
        """Requests received (by one venue or all)."""
        chosen = [self.venues[venue]] if venue else list(self.venues.values())
        return sum(len(v.requests) for v in chosen)

    def reset_counts(self) -> None:
        """Forget the requests seen so far."""
        for venue in self.venues.values():
            venue.requests.clear()
            venue.arrivals.clear()

    def request_waves(self, gap: float) -> int:
        """Bursts of requests (arrivals ``gap`` seconds apart or more start a new one): with
        every answer ``gap`` late or later, the round trips of a dependency chain."""
        times = sorted(t for v in self.venues.values() for t in v.arrivals)
        return sum(1 for a, b in zip([-gap * 2, *times], times, strict=False) if b - a >= gap)


@asynccontextmanager
async def running_fake_exchange(market: FakeMarket | None = None) -> AsyncIterator[FakeExchange]:
    """Start one server per venue on 127.0.0.1 (random ports); stop them on exit."""
    fx = FakeExchange(market or default_market())
    runners: list[web.AppRunner] = []
    try:
        for venue in fx.venues.values():
            runner = await serve_on_loopback(venue.handle)
            runners.append(runner)
            venue.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        yield fx
    finally:
        fx._closing.set()
        for runner in runners:
            await runner.cleanup()
        shutil.rmtree(fx.cache_dir, ignore_errors=True)


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@contextmanager
def loopback_guard() -> Iterator[list[str]]:
    """Refuse (and record) any resolve or connect beyond the loopback interface."""
    violations: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in LOOPBACK and not host.startswith("/"):
            violations.append(str(host))
            raise OSError(f"test tried to reach {host}: only 127.0.0.1 is allowed")

    def connect(self: socket.socket, address: Any) -> None:
        _check(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None:
            _check((host.decode() if isinstance(host, bytes) else host, 0))
        return real_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        mp.setattr(socket, "getaddrinfo", getaddrinfo)
        yield violations


@pytest.fixture
def loopback_only() -> Iterator[list[str]]:
    """Fail the test if anything resolves or connects beyond the loopback interface."""
    with loopback_guard() as violations:
        yield violations
    assert violations == [], f"network access beyond loopback: {violations}"


@pytest.fixture
async def fake_exchange(loopback_only: list[str]) -> AsyncIterator[FakeExchange]:
    """A running fake exchange; the test fails if any request hit an unknown route."""
    async with running_fake_exchange() as fx:
        yield fx
    assert fx.errors == [], f"requests the fake does not serve: {fx.errors}"


async def _serve_forever(config_out: Path) -> None:
    async with running_fake_exchange() as fx:
        fx.write_config(config_out)
        print(f"fake exchange up; config written to {config_out}", flush=True)
        for name, venue in fx.venues.items():
            print(f"  {name:<12} {venue.url}", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    # python -m tests.fakes.fake_exchange /tmp/f.toml; then: python -m bot … --config /tmp/f.toml
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "fake-exchange.toml")
    with suppress(KeyboardInterrupt):
        asyncio.run(_serve_forever(out))
