"""Liquidations as the bot sees them, and each venue stream's health for ``/status``.

A :class:`Liquidation` is one forced close at one venue, read from ccxt's liquidation
structure (``bot.market.liquidation_stream``): the coin, the side of the position that
was liquidated, its notional in USD, the fill price and the time. Venues name the side
differently: Binance's ``forceOrder`` gives the liquidation *order's* side (a SELL closes
a long), Bybit's ``allLiquidation`` the *position's* side (Buy: a long was liquidated),
OKX both (``posSide``, else the order side). No raw ccxt dict leaves this module.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from bot.config import Settings
from bot.errors import MissingReason, VenueBadResponseError
from bot.market.units import optional_number

Side = Literal["long", "short"]
StreamStatus = Literal["connecting", "connected", "reconnecting", "stopped"]
#: How each venue's ccxt ``side`` reads: the position's side or the closing order's.
SIDE_IS_POSITION: Mapping[str, bool] = {"binanceusdm": False, "bybit": True, "okx": False}


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Liquidation:
    """One forced close: ``side`` is the liquidated position's (``long``: a long was
    closed by a sell), ``notional_usd`` its size times the fill price."""

    venue: str
    coin: str
    side: Side
    notional_usd: float
    price: float
    at: datetime


def bad_response(venue: str, detail: str) -> VenueBadResponseError:
    """An unreadable liquidation (this module stays free of ccxt: ``/status`` imports it)."""
    return VenueBadResponseError(venue, f"unparseable liquidation ({detail})")


def require_number(venue: str, what: str, value: object, positive: bool = False) -> float:
    """``value`` as a finite (positive) float, else ``VenueBadResponseError`` naming ``what``."""
    number = optional_number(value)
    if number is None or (positive and number <= 0):
        raise bad_response(venue, f"{what}: {value!r}")
    return number


def watched_markets(settings: Settings, venue: str) -> dict[str, str]:
    """The ccxt symbols watched at ``venue``, each with its coin (configured perpetuals)."""
    coins = settings.liquidations.coins or settings.symbol_names
    found: dict[str, str] = {}
    for coin in coins:
        conf = settings.symbol(coin)
        symbol = conf.markets.get(venue) if conf is not None else None
        if symbol:
            found[symbol] = coin
    return found


def _side(venue: str, order_or_position: object, position: object = None) -> Side:
    """The liquidated position's side from a venue's side fields."""
    pos = str(position or "").lower()
    if pos in ("long", "short"):
        return "long" if pos == "long" else "short"
    raw = str(order_or_position or "").lower()
    if raw not in ("buy", "sell"):
        raise bad_response(venue, f"liquidation side {order_or_position!r}")
    buy_means_long = SIDE_IS_POSITION.get(venue, False)
    return "long" if (raw == "buy") == buy_means_long else "short"


def _at(venue: str, ms: object) -> datetime:
    value = require_number(venue, "liquidation time", ms, positive=True)
    return datetime.fromtimestamp(value / 1000.0, UTC)


def from_ccxt(venue: str, coin: str, raw: Mapping[str, Any],
              contract_size: object = None) -> list[Liquidation]:
    """The liquidations in one ccxt liquidation structure (OKX may pack several closes of
    one instrument into one; ccxt parses only the first, the rest are read here).

    ``contract_size`` is the market's (coins per contract): ccxt's websocket parser leaves
    the structure's own ``contractSize`` empty, so the caller passes the market's.
    """
    price = require_number(venue, "liquidation price", raw.get("price"), positive=True)
    contracts = require_number(venue, "liquidated contracts", raw.get("contracts"),
                               positive=True)
    size = optional_number(contract_size) or optional_number(raw.get("contractSize")) or 1.0
    info = raw.get("info")
    details = info.get("details") if venue == "okx" and isinstance(info, Mapping) else None
    if not isinstance(details, list):
        details = []
    first_pos = details[0].get("posSide") if details and isinstance(details[0], Mapping) else None
    found = [Liquidation(venue, coin, _side(venue, raw.get("side"), first_pos),
                         contracts * size * price, price, _at(venue, raw.get("timestamp")))]
    for extra in details[1:]:
        if not isinstance(extra, Mapping):
            raise bad_response(venue, "liquidation detail is not an object")
        px = require_number(venue, "liquidation price", extra.get("bkPx"), positive=True)
        sz = require_number(venue, "liquidated contracts", extra.get("sz"), positive=True)
        found.append(Liquidation(venue, coin, _side(venue, extra.get("side"),
                                                    extra.get("posSide")),
                                 sz * size * px, px, _at(venue, extra.get("ts"))))
    if not all(math.isfinite(liq.notional_usd) for liq in found):
        raise bad_response(venue, "liquidation notional out of range")
    return found


@dataclass(frozen=True, slots=True)
class StreamState:
    """One venue stream's health: its status since when, the last frame heard, how often
    it reconnected and the last failure's code."""

    venue: str
    status: StreamStatus = "connecting"
    since: datetime | None = None
    last_message: datetime | None = None
    reconnects: int = 0
    last_error: MissingReason | None = None
    liquidations: int = 0


class StreamHealth:
    """Records what each liquidation stream goes through (read by ``/status``)."""

    def __init__(self, clock: Callable[[], datetime] = _utc_now) -> None:
        self._clock = clock
        self._states: dict[str, StreamState] = {}

    def _get(self, venue: str) -> StreamState:
        return self._states.get(venue) or StreamState(venue, since=self._clock())

    def _status(self, venue: str, status: StreamStatus, **changes: Any) -> None:
        state = self._get(venue)
        since = state.since if state.status == status else self._clock()
        self._states[venue] = replace(state, status=status, since=since, **changes)

    def connecting(self, venue: str) -> None:
        """The stream is opening (first time)."""
        self._status(venue, "connecting")

    def connected(self, venue: str) -> None:
        """The venue accepted the connection."""
        self._status(venue, "connected")

    def message(self, venue: str, liquidations: int = 0) -> None:
        """A frame arrived (with ``liquidations`` liquidations in it)."""
        state = self._get(venue)
        self._states[venue] = replace(state, last_message=self._clock(),
                                      liquidations=state.liquidations + liquidations)

    def reconnecting(self, venue: str, code: MissingReason) -> None:
        """The stream dropped (or could not open) with ``code``; a reconnect is due."""
        state = self._get(venue)
        self._status(venue, "reconnecting", reconnects=state.reconnects + 1, last_error=code)

    def stopped(self, venue: str, code: MissingReason | None = None) -> None:
        """The stream was closed on purpose, or for good with ``code`` (not offered)."""
        if code is not None:
            self._status(venue, "stopped", last_error=code)
        else:
            self._status(venue, "stopped")

    def states(self) -> tuple[StreamState, ...]:
        """Every stream's state, by venue name."""
        return tuple(self._states[v] for v in sorted(self._states))
