"""What's next: continuation, pullback or reversal of the prevailing direction, with triggers.

- The prevailing direction is the bias direction (None when the bias is neutral).
- reversal: price already stands beyond the reversal level against that direction
  (bearish but above ``levels.reversal``; bullish but below ``levels.next_support``).
- pullback: the 1h DMI points against the prevailing direction (a counter-move).
- continuation: otherwise (also for a neutral bias: the range continues).

Triggers: bearish → target ``next_support``, reclaim ``reversal``; bullish → target the
nearest resistance, invalidation ``breakdown``; neutral → both edges.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.analysis.model import (
    Bias,
    Direction,
    Levels,
    Outlook,
    Scenario,
    TrendReading,
    Trigger,
)


def _direction(bias: Bias) -> Direction | None:
    if bias.label in ("bearish", "strongly bearish"):
        return "bearish"
    if bias.label in ("bullish", "strongly bullish"):
        return "bullish"
    return None


def _triggers(direction: Direction | None, levels: Levels) -> tuple[Trigger, ...]:
    nearest_resistance = levels.resistance[0] if levels.resistance else None
    out: list[Trigger] = []
    if direction == "bearish":
        if levels.next_support is not None:
            out.append(Trigger("target", levels.next_support))
        if levels.reversal is not None:
            out.append(Trigger("reclaim", levels.reversal))
    else:
        if nearest_resistance is not None:
            out.append(Trigger("target", nearest_resistance))
        floor = levels.breakdown if direction == "bullish" else levels.next_support
        if floor is not None:
            out.append(Trigger("invalidation", floor))
    return tuple(out)


def compute_outlook(bias: Bias, trend: Mapping[str, TrendReading], levels: Levels,
                    last: float | None) -> Outlook:
    """The scenario and its trigger levels."""
    direction = _direction(bias)
    scenario: Scenario = "continuation"
    hourly = trend.get("1h")
    if direction is not None and last is not None:
        beyond = (
            (direction == "bearish" and levels.reversal is not None
             and last > levels.reversal.price)
            or (direction == "bullish" and levels.next_support is not None
                and last < levels.next_support.price)
        )
        if beyond:
            scenario = "reversal"
        elif hourly is not None and hourly.direction is not None and hourly.direction != direction:
            scenario = "pullback"
    return Outlook(scenario=scenario, direction=direction, triggers=_triggers(direction, levels))
