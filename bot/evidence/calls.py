"""The calls a post makes, taken from its analysis: one per horizon of the odds.

The backtest and the track record both use :func:`calls_of`, so a backtest row states
exactly what a post at that time stated.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from bot.analysis.model import Analysis, Odds
from bot.analysis.odds import HORIZONS
from bot.evidence.model import Call, NamedLevel


def _bias(analysis: Analysis) -> Literal["bullish", "bearish", "neutral"]:
    label = analysis.bias.label
    if "bullish" in label:
        return "bullish"
    return "bearish" if "bearish" in label else "neutral"


def _momentum(analysis: Analysis) -> Literal["up", "down"] | None:
    change = analysis.price.change_7d_pct if analysis.price is not None else None
    if change is None:
        return None
    return "up" if change > 0 else "down"


def _levels(analysis: Analysis) -> tuple[NamedLevel, ...]:
    """Next support, nearest resistance, and the level the post names as its view's undoing."""
    levels = analysis.levels
    found: list[NamedLevel] = []
    if levels.next_support is not None:
        found.append(NamedLevel("support", levels.next_support.price))
    if levels.resistance:
        found.append(NamedLevel("resistance", levels.resistance[0].price))
    undoing = "reclaim" if analysis.outlook.direction == "bearish" else "invalidation"
    if analysis.outlook.direction is not None:
        trigger = next((t for t in analysis.outlook.triggers if t.role == undoing), None)
        if trigger is not None:
            found.append(NamedLevel("invalidation", trigger.level.price))
    return tuple(found)


def calls_of(analysis: Analysis, horizons: tuple[timedelta, ...] = HORIZONS,
             odds_for: Odds | None = None) -> tuple[Call, ...]:
    """Every call of the post on ``analysis`` (none without a price).

    ``odds_for`` replaces the analysis's odds (the backtest's other horizons).
    """
    if analysis.price is None:
        return ()
    price = analysis.price.last
    source = odds_for if odds_for is not None else analysis.odds
    out: list[Call] = []
    for horizon in horizons:
        odds = source.at(horizon) if source is not None else None
        out.append(Call(
            symbol=analysis.symbol,
            as_of=analysis.as_of,
            price=price,
            horizon=horizon,
            probability=odds.probability if odds else None,
            base_rate=odds.base_rate if odds else None,
            low_price=price * (1 + odds.low_pct / 100.0) if odds else None,
            high_price=price * (1 + odds.high_pct / 100.0) if odds else None,
            bias=_bias(analysis),
            momentum=_momentum(analysis),
            levels=_levels(analysis),
        ))
    return tuple(out)
