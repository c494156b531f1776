"""Walk-forward odds: how comparable setups before ``as_of`` moved over 24 hours and 7 days.

Only closed daily bars whose outcome was known at ``as_of`` are used, so a post's odds
never see the future. The stated probability is the climatology (share of all days that
ended higher) unless the setup's frequency differs from it beyond chance — a z-test on
the overlap-adjusted sample (a 7-day outcome counted from each day overlaps its
neighbours, so 7 days count as one; |z| ≥ 3 for four setups times two horizons) and the
older and newer halves of the setups both lean that way (an edge that faded is not
claimed) — and then the setup's frequency shrunk towards
climatology with :data:`PRIOR_WEIGHT` pseudo-days. Measured on BTC 2017–2023, finer
setups and weaker shrinkage lowered the Brier skill out of sample (see README).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from bot.analysis.model import Edge, HorizonOdds, Odds
from bot.analysis.setups import SETUPS, UNKNOWN, closed_daily, forward_returns, setup_codes
from bot.market.models import CandleSeries, ms_from_utc, utc_from_ms

HORIZONS: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(days=7))
#: Comparable setups needed before any odds are stated.
MIN_SAMPLES = 30
#: |z| at which a setup's frequency counts as different from climatology.
EDGE_Z = 3.0
#: Long-run share of higher closes per horizon in days, BTC 2017-08..2023-12 (2,327 days;
#: before every period the README scores): the prior of every symbol's climatology.
LONG_RUN_UP = {1: 0.5135, 7: 0.5321}
#: Pseudo-days of that prior mixed into a symbol's own base rate: a short history (ETH's
#: 500 days) leans on it, nine years of BTC mostly speak for themselves.
CLIMATE_PRIOR_WEIGHT = 1000.0
#: z each half of the setups (older, newer) must reach in the edge's direction.
HALF_Z = 1.5
#: Pseudo-days of climatology mixed into a setup's frequency when it has an edge.
PRIOR_WEIGHT = 100.0


def _held_in_halves(sample: np.ndarray, base_rate: float, days: int, up: bool) -> bool:
    """Whether the older and the newer half of the setups both lean the same way."""
    for half in np.array_split(sample, 2):
        share = float((half > 0).mean())
        spread = float(np.sqrt(base_rate * (1.0 - base_rate) / max(1.0, len(half) / days)))
        lean = (share - base_rate) if up else (base_rate - share)
        if lean < HALF_Z * spread:
            return False
    return True


def _horizon_odds(
    horizon: timedelta, codes: np.ndarray, moves: np.ndarray, now: int, times: np.ndarray
) -> HorizonOdds | None:
    known = ~np.isnan(moves) & (codes != UNKNOWN)
    base = moves[known]
    same = known & (codes == now)
    sample = moves[same]
    if len(sample) < MIN_SAMPLES or len(base) < MIN_SAMPLES:
        return None
    days = max(1, round(horizon / timedelta(days=1)))
    ups, n = int((sample > 0).sum()), len(sample)
    prior = LONG_RUN_UP.get(days, 0.5)
    base_rate = float(((base > 0).sum() + prior * CLIMATE_PRIOR_WEIGHT)
                      / (len(base) + CLIMATE_PRIOR_WEIGHT))
    frequency = ups / n
    spread = float(np.sqrt(base_rate * (1.0 - base_rate) / max(1.0, n / days)))
    edge: Edge | None = None
    probability = base_rate
    if spread > 0 and abs(frequency - base_rate) >= EDGE_Z * spread and _held_in_halves(
            sample, base_rate, days, frequency > base_rate):
        edge = "up" if frequency > base_rate else "down"
        probability = (ups + PRIOR_WEIGHT * base_rate) / (n + PRIOR_WEIGHT)
    low, median, high = (float(x) for x in np.percentile(sample, (10, 50, 90)))
    return HorizonOdds(
        horizon=horizon,
        samples=n,
        ups=ups,
        frequency=frequency,
        median_pct=median,
        low_pct=low,
        high_pct=high,
        base_samples=len(base),
        base_rate=base_rate,
        probability=probability,
        edge=edge,
        since=utc_from_ms(int(times[np.argmax(same)])),
    )


def compute_odds(daily: CandleSeries, as_of: datetime,
                 horizons: tuple[timedelta, ...] = HORIZONS) -> Odds | None:
    """Odds for the setup at the last daily close before ``as_of`` (None: too little history)."""
    if daily.timeframe != "1d":
        return None
    bars = closed_daily(daily, ms_from_utc(as_of))
    if len(bars) == 0:
        return None
    close = np.asarray(bars.close, dtype=np.float64)
    codes = setup_codes(close)
    now = int(codes[-1])
    if now == UNKNOWN:
        return None
    found = []
    for horizon in horizons:
        days = max(1, round(horizon / timedelta(days=1)))
        got = _horizon_odds(horizon, codes, forward_returns(close, days), now, bars.open_time)
        if got is not None:
            found.append(got)
    if not found:
        return None
    return Odds(
        setup=SETUPS[now],
        as_of_close=utc_from_ms(int(bars.open_time[-1]) + bars.interval_ms),
        horizons=tuple(found),
    )


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
