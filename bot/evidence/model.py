"""Typed evidence records: the calls a post makes and their outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

LevelRole = Literal["support", "resistance", "invalidation"]


@dataclass(frozen=True, slots=True)
class NamedLevel:
    """A level a post names, with the role it plays in the call."""

    role: LevelRole
    price: float


@dataclass(frozen=True, slots=True)
class Call:
    """One forward-looking statement of a post, to be graded when its horizon passes.

    ``bias`` is the post's description of now (bullish/bearish/neutral), kept to score
    it as if it were a forecast; ``probability`` the stated chance of a higher price.
    """

    symbol: str
    as_of: datetime
    price: float
    horizon: timedelta
    probability: float | None
    base_rate: float | None
    low_price: float | None
    high_price: float | None
    bias: Literal["bullish", "bearish", "neutral"]
    momentum: Literal["up", "down"] | None
    levels: tuple[NamedLevel, ...] = ()

    @property
    def due(self) -> datetime:
        """When the call can be graded."""
        return self.as_of + self.horizon


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened over a call's horizon.

    ``first_level`` is the role of the named level price reached first (None: none).
    """

    price: float
    change_pct: float
    up: bool
    max_up_pct: float
    max_down_pct: float
    in_range: bool | None
    touched: tuple[LevelRole, ...]
    first_level: LevelRole | None


@dataclass(frozen=True, slots=True)
class Row:
    """One graded call with the post's state at the time."""

    call: Call
    outcome: Outcome | None
    bias_score: float
    bias_label: str
    setup: str | None
    samples: int | None
    edge: str | None
    view: str | None

