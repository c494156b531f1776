"""The fault drills: each fault kind applied to one venue of a running ``FakeExchange``.

Shared by ``tests/integration/test_venue_drills.py`` and ``bench/bench_faults.py``.
``apply(fx, venue, kind)`` injects the fault; ``reset(fx)`` undoes every drill.
``refused`` changes the venue's URL, so apply it before ``settings``/``write_config``.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.fakes.fake_exchange import FakeExchange

VENUES = ("binance", "binanceusdm", "okx", "bybit", "hyperliquid")
DERIVATIVES = ("binanceusdm", "okx", "bybit", "hyperliquid")
#: the route text of each venue's candle endpoint
CANDLE_ROUTES = {
    "binance": "/api/v3/klines",
    "binanceusdm": "/fapi/v1/klines",
    "okx": "/market/candles",
    "bybit": "/market/kline",
    "hyperliquid": "candleSnapshot",
}
#: requests a venue answers well before its answers come back cut off
TRUNCATE_AFTER = 2
RETRY_AFTER_SECONDS = 1.0
NEVER_SECONDS = 60.0
LATENCY_SECONDS = 3.0

Drill = Callable[[FakeExchange, str], None]

DRILLS: dict[str, Drill] = {
    "timeout": lambda fx, v: fx.fault(v, "timeout", seconds=NEVER_SECONDS),
    "latency_3s": lambda fx, v: fx.fault(v, "latency", seconds=LATENCY_SECONDS),
    "http_500": lambda fx, v: fx.fault(v, "500"),
    "429_retry_after": lambda fx, v: fx.fault(v, "429", retry_after=RETRY_AFTER_SECONDS),
    "truncated_json": lambda fx, v: fx.fault(v, "malformed", after=TRUNCATE_AFTER),
    "nulls": lambda fx, v: fx.fault(v, "garbage"),
    "empty_candles": lambda fx, v: fx.fault(v, "empty", match=CANDLE_ROUTES[v]),
    "unknown_symbol": lambda fx, v: fx.hide(v, "BTC"),
    "refused": lambda fx, v: fx.refuse(v),
}


def apply(fx: FakeExchange, venues: tuple[str, ...] | str, kind: str) -> None:
    """Inject drill ``kind`` at each of ``venues``."""
    for venue in (venues,) if isinstance(venues, str) else venues:
        DRILLS[kind](fx, venue)


def reset(fx: FakeExchange, urls: dict[str, str]) -> None:
    """Undo every drill: no faults, nothing hidden, each venue at ``urls`` again."""
    fx.clear_faults()
    for name, venue in fx.venues.items():
        venue.hidden.clear()
        venue.url = urls[name]
