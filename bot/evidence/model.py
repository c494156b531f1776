"""Typed evidence records: the odds a post states and the calls it makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.evidence.setups import SetupKind

Edge = Literal["up", "down"]
LevelRole = Literal["support", "resistance", "invalidation"]


@dataclass(frozen=True, slots=True)
class HorizonOdds:
    """What comparable setups did over one horizon, and the probability the post states.

    ``frequency`` is the share of comparable setups that ended higher; ``base_rate`` the
    share of *all* days (climatology) before the post. ``probability`` is the stated
    chance of a higher price: the base rate unless the setups differ from it beyond
    chance (``edge``), then the setups' frequency shrunk towards the base rate.
    ``low_pct``/``high_pct`` bound the middle 80% of the setups' moves.
    """

    horizon: timedelta
    samples: int
    ups: int
    frequency: float
    median_pct: float
    low_pct: float
    high_pct: float
    base_samples: int
    base_rate: float
    probability: float
    edge: Edge | None
    since: datetime


@dataclass(frozen=True, slots=True)
class Odds:
    """The setup at the last daily close and the odds per horizon (24h first)."""

    setup: SetupKind
    as_of_close: datetime
    horizons: tuple[HorizonOdds, ...]

    def at(self, horizon: timedelta) -> HorizonOdds | None:
        """The odds of one horizon, if computed."""
        return next((h for h in self.horizons if h.horizon == horizon), None)


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


def horizon_name(horizon: timedelta) -> str:
    """``24h`` for a day, ``7d`` for a week, else hours (``12h``)."""
    hours = round(horizon / timedelta(hours=1))
    return "24h" if hours == 24 else (f"{hours // 24}d" if hours % 24 == 0 else f"{hours}h")


def parse_horizon(text: str) -> timedelta:
    """``24h``/``7d``/``12h`` → timedelta (ValueError otherwise)."""
    text = text.strip().lower()
    if len(text) < 2 or not text[:-1].isdigit() or text[-1] not in "hd" or int(text[:-1]) <= 0:
        raise ValueError(text)
    return timedelta(hours=int(text[:-1]) * (24 if text[-1] == "d" else 1))
