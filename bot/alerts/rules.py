"""Price alert rules and the words that make them (``/alert btc above 81000``).

Kinds: ``above`` (fires when the price trades at or above ``level``), ``below`` (at or below
``level``) and ``move`` (``pct`` percent either way from ``level``, the price when the alert
was set). A bare level (``/alert btc 81k``) becomes ``above`` or ``below`` from the current
price (``inferred``). Errors are :class:`bot.errors.BadArgumentError` with a plain message.

Hysteresis: alerts are one-shot by default (``rearm_pct`` ``None``): after firing they are
spent, so a price wobbling around the level fires once. With ``rearm_pct`` set the alert
re-arms only once the price has moved back past the level by that margin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.errors import BadArgumentError

Kind = Literal["above", "below", "move"]
Asked = Literal["above", "below", "near", "move"]
#: Largest % move an alert accepts (a 100% drop is a price of zero).
MAX_PCT = 99.0
MAX_EXPIRY = timedelta(days=90)
_ABOVE = frozenset({"above", "over", ">", ">=", "crosses", "hits", "reaches", "rises"})
_BELOW = frozenset({"below", "under", "<", "<=", "drops", "falls", "loses"})
_NUMBER = re.compile(r"^\$?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)([km]?)\$?$", re.IGNORECASE)
_PERCENT = re.compile(r"^[+-]?(\d+(?:\.\d+)?)%$")
_EXPIRY = re.compile(r"^(\d{1,4})(m|min|h|d|w)$", re.IGNORECASE)
_UNITS = {"m": timedelta(minutes=1), "min": timedelta(minutes=1), "h": timedelta(hours=1),
          "d": timedelta(days=1), "w": timedelta(weeks=1)}


@dataclass(frozen=True, slots=True)
class AlertRequest:
    """What the user asked, before the current price is known."""

    coin: str
    asked: Asked
    value: float
    expires_in: timedelta | None = None


@dataclass(frozen=True, slots=True)
class AlertRule:
    """A price alert: where it fires, whether it re-arms, when it ends."""

    kind: Kind
    level: float
    pct: float | None = None
    rearm_pct: float | None = None
    expires_at: datetime | None = None
    inferred: bool = False

    @property
    def upper(self) -> float | None:
        """The price at or above which the alert fires (``None``: no upper side)."""
        if self.kind == "above":
            return self.level
        if self.kind == "move" and self.pct is not None:
            return self.level * (1 + self.pct / 100)
        return None

    @property
    def lower(self) -> float | None:
        """The price at or below which the alert fires (``None``: no lower side)."""
        if self.kind == "below":
            return self.level
        if self.kind == "move" and self.pct is not None:
            return self.level * (1 - self.pct / 100)
        return None


def parse_number(word: str) -> float | None:
    """``81000``, ``81,000``, ``81k``, ``$2.5k``, ``1.2m`` as a positive number, else ``None``."""
    match = _NUMBER.match(word.strip())
    if match is None:
        return None
    value = float(match.group(1).replace(",", ""))
    value *= {"k": 1e3, "m": 1e6}.get(match.group(2).lower(), 1.0)
    return value if value > 0 else None


def parse_expiry(word: str) -> timedelta | None:
    """``90m``, ``24h``, ``3d``, ``1w`` as a duration, else ``None``."""
    match = _EXPIRY.match(word)
    if match is None:
        return None
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def parse_alert(words: Sequence[str]) -> AlertRequest:
    """``COIN [above|below] LEVEL`` or ``COIN PCT%``, optionally ``[for] 24h`` at the end."""
    rest = [w.lower() for w in words if w.strip()]
    if not rest:
        raise BadArgumentError("no coin", kind="alert", reason="empty")
    expires_in = parse_expiry(rest[-1]) if len(rest) > 2 else None
    if expires_in is not None:
        rest = rest[:-1]
        if rest[-1] == "for":
            rest = rest[:-1]
        if not timedelta(minutes=1) <= expires_in <= MAX_EXPIRY:
            raise BadArgumentError("expiry out of range", kind="alert", reason="expiry",
                                  value=words[-1])
    coin, rest = rest[0], rest[1:]
    asked: Asked = "near"
    if rest and (rest[0] in _ABOVE or rest[0] in _BELOW):
        asked = "above" if rest[0] in _ABOVE else "below"
        rest = rest[1:]
    if len(rest) != 1:
        raise BadArgumentError("one level expected", kind="alert", reason="level",
                              value=" ".join(rest))
    percent = _PERCENT.match(rest[0])
    if percent is not None:
        pct = float(percent.group(1))
        if asked != "near" or not 0 < pct <= MAX_PCT:
            raise BadArgumentError("percent out of range", kind="alert", reason="pct",
                                  value=rest[0])
        return AlertRequest(coin, "move", pct, expires_in)
    value = parse_number(rest[0])
    if value is None:
        raise BadArgumentError("not a price", kind="alert", reason="price", value=rest[0])
    return AlertRequest(coin, asked, value, expires_in)


def make_rule(request: AlertRequest, price: float, now: datetime,
              rearm_pct: float | None = None) -> AlertRule:
    """The rule ``request`` makes at the current ``price`` (a bare level's side inferred).

    Raises :class:`AlreadyThereError` when the price is already on the asked side.
    """
    expires_at = now + request.expires_in if request.expires_in is not None else None
    if request.asked == "move":
        return AlertRule("move", price, request.value, rearm_pct, expires_at)
    kind: Kind
    if request.asked == "near":
        if request.value == price:
            raise AlreadyThereError("above", request.value, price)
        kind = "above" if request.value > price else "below"
    else:
        kind = request.asked
    if (kind == "above" and price >= request.value) or (kind == "below" and price <= request.value):
        raise AlreadyThereError(kind, request.value, price)
    return AlertRule(kind, request.value, None, rearm_pct, expires_at,
                     inferred=request.asked == "near")


class AlreadyThereError(BadArgumentError):
    """The price is already at or beyond the level: the alert would fire at once."""

    def __init__(self, kind: Kind, level: float, price: float) -> None:
        super().__init__("already beyond the level", kind="alert", reason="already")
        self.kind = kind
        self.level = level
        self.price = price
