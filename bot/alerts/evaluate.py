"""Pure evaluation of one alert rule against what the price did since the last check.

:func:`observe` folds the snapshot's last price and the 1h candles *opened at or after the
last check* into one :class:`Observation` (the highest and lowest traded price seen), so a
wick through a level counts even when the price is back by the next check. The candle in
progress at the last check is left out (its wick may predate the check — or the alert); the
minute-by-minute checks sample it through the last price instead.

:func:`evaluate` is the state machine: an armed rule fires when the observation reaches a
level; a fired rule with ``rearm_pct`` re-arms once the price is back past the level by that
margin (hysteresis), one without stays spent; past ``expires_at`` it expires (a crossing seen
only after expiry does not fire).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.alerts.rules import AlertRule
from bot.market.models import CandleSeries, ms_from_utc

Outcome = Literal["quiet", "fired", "rearmed", "expired"]
Side = Literal["up", "down"]


@dataclass(frozen=True, slots=True)
class Observation:
    """The price at ``at`` and the extremes traded since the last check."""

    price: float
    high: float
    low: float
    at: datetime


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a rule does on one observation; ``level`` and ``side`` of a firing."""

    outcome: Outcome
    level: float | None = None
    side: Side | None = None


QUIET = Verdict("quiet")


def observe(price: float, at: datetime, since: datetime | None,
            candles: CandleSeries | None = None) -> Observation:
    """The observation at ``at``: ``price`` and the highs and lows of bars opened since
    ``since`` (no bars without ``since``)."""
    high = low = price
    if candles is not None and since is not None and len(candles):
        start = ms_from_utc(since)
        mask = candles.open_time >= start
        if mask.any():
            high = max(high, float(candles.high[mask].max()))
            low = min(low, float(candles.low[mask].min()))
    return Observation(price, high, low, at)


def _crossing(rule: AlertRule, seen: Observation) -> Verdict:
    up, down = rule.upper, rule.lower
    hit_up = up is not None and seen.high >= up
    hit_down = down is not None and seen.low <= down
    if hit_up and hit_down:  # both sides of a move alert in one check: the nearer to now
        assert up is not None and down is not None
        hit_up = abs(seen.price - up) <= abs(seen.price - down)
        hit_down = not hit_up
    if hit_up:
        return Verdict("fired", up, "up")
    if hit_down:
        return Verdict("fired", down, "down")
    return QUIET


def _back_past(rule: AlertRule, price: float) -> bool:
    """Whether ``price`` is back inside the rule's levels by the re-arm margin."""
    margin = (rule.rearm_pct or 0.0) / 100
    up, down = rule.upper, rule.lower
    return ((up is None or price <= up * (1 - margin))
            and (down is None or price >= down * (1 + margin)))


def evaluate(rule: AlertRule, armed: bool, seen: Observation) -> Verdict:
    """What ``rule`` (``armed`` or spent) does on ``seen``."""
    if rule.expires_at is not None and seen.at >= rule.expires_at:
        return Verdict("expired")
    if armed:
        return _crossing(rule, seen)
    if rule.rearm_pct is not None and _back_past(rule, seen.price):
        return Verdict("rearmed")
    return QUIET
