"""Walk-forward odds: how comparable setups before ``as_of`` moved over 24 hours and 7 days.

Only closed daily bars whose outcome was known at ``as_of`` are used, so a post's odds
never see the future. The stated probability is the climatology (share of all days that
ended higher, with a long-run prior for short histories) unless a *lean* passes three
tests: the setup's frequency differs from the climatology by |z| ≥ 3 on the
overlap-adjusted sample (a 7-day outcome counted from each day overlaps its neighbours,
so 7 days count as one), the older and the newer half of the setups both lean that way,
and the rule's own earlier would-be calls for the setup (``RECORD_MIN_CALLS`` graded)
beat the climatology's Brier score by ``RECORD_T`` standard errors. Then the setup's
frequency, shrunk towards the climatology with :data:`PRIOR_WEIGHT` pseudo-days, is
stated as an edge. Parameters and their measurement: README, "Evidence".
"""

from __future__ import annotations

from dataclasses import dataclass
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
#: Earlier would-be calls of a lean, already graded, before it is stated as an edge; their
#: Brier score must also beat the climatology's ("never more confidence than the record").
RECORD_MIN_CALLS = 20
#: ...and the gain in Brier score over those calls must be this many standard errors.
RECORD_T = 1.0


@dataclass(frozen=True, slots=True)
class _Decisions:
    """What the rule would have stated at every past daily close, for one horizon."""

    base_rate: np.ndarray
    edge: np.ndarray  # +1 up, −1 down, 0 none
    probability: np.ndarray


def _lagged(counts: np.ndarray, days: int) -> np.ndarray:
    """counts[j − days] (0 before the first), i.e. what was known at close j."""
    out = np.zeros(len(counts))
    out[days:] = counts[: len(counts) - days]
    return out


def _decisions(codes: np.ndarray, moves: np.ndarray, days: int) -> _Decisions:
    """Walk-forward decisions at every close j from the outcomes known then (i + days ≤ j)."""
    n = len(codes)
    known = (codes != UNKNOWN) & ~np.isnan(moves)
    rose = known & (np.nan_to_num(moves) > 0)
    base_n = _lagged(np.cumsum(known), days)
    base_ups = _lagged(np.cumsum(rose), days)
    prior = LONG_RUN_UP.get(days, 0.5)
    base_rate = (base_ups + prior * CLIMATE_PRIOR_WEIGHT) / (base_n + CLIMATE_PRIOR_WEIGHT)
    samples, ups, older_ups = np.zeros(n), np.zeros(n), np.zeros(n)
    for code in range(len(SETUPS)):
        mine = codes == code
        count = _lagged(np.cumsum(known & mine), days)
        samples[mine], ups[mine] = count[mine], _lagged(np.cumsum(rose & mine), days)[mine]
        in_order = np.concatenate(([0], np.cumsum(rose[known & mine])))
        older = np.ceil(count[mine] / 2).astype(np.int64)
        older_ups[mine] = in_order[np.minimum(older, len(in_order) - 1)]
    frequency = np.divide(ups, samples, out=np.full(n, 0.5), where=samples > 0)
    spread = np.sqrt(base_rate * (1 - base_rate) / np.maximum(1.0, samples / days))
    lean = np.sign(frequency - base_rate)
    older_n = np.ceil(samples / 2)
    newer_n = samples - older_n
    halves = np.ones(n, dtype=bool)
    for size, hits in ((older_n, older_ups), (newer_n, ups - older_ups)):
        share = np.divide(hits, size, out=np.full(n, 0.5), where=size > 0)
        half_spread = np.sqrt(base_rate * (1 - base_rate) / np.maximum(1.0, size / days))
        halves &= lean * (share - base_rate) >= HALF_Z * half_spread
    edge = np.where(
        (samples >= MIN_SAMPLES) & (np.abs(frequency - base_rate) >= EDGE_Z * spread) & halves,
        lean, 0.0,
    )
    probability = np.where(edge != 0, (ups + PRIOR_WEIGHT * base_rate) / (samples + PRIOR_WEIGHT),
                           base_rate)
    return _Decisions(base_rate, edge, probability)


def _record(dec: _Decisions, codes: np.ndarray, moves: np.ndarray, days: int
            ) -> tuple[int, float | None]:
    """Earlier would-be edge calls of the current setup that have been graded, and their skill."""
    last = len(codes) - 1
    past = (codes == codes[last]) & (dec.edge != 0) & (np.arange(len(codes)) + days <= last)
    past &= ~np.isnan(moves)
    if not past.any():
        return 0, None
    up = (moves[past] > 0).astype(float)
    stated = (dec.probability[past] - up) ** 2
    climate = (dec.base_rate[past] - up) ** 2
    gain = climate - stated
    if len(gain) < 2 or float(climate.mean()) <= 0:
        return int(past.sum()), None
    # skill counts only when the Brier gain stands one standard error clear of zero
    t = float(gain.mean()) / max(float(gain.std(ddof=1)) / np.sqrt(len(gain)), 1e-12)
    skill = 1.0 - float(stated.mean()) / float(climate.mean())
    return int(past.sum()), skill if t >= RECORD_T else min(skill, 0.0)


def _horizon_odds(
    horizon: timedelta, codes: np.ndarray, moves: np.ndarray, times: np.ndarray
) -> HorizonOdds | None:
    days = max(1, round(horizon / timedelta(days=1)))
    dec = _decisions(codes, moves, days)
    now = len(codes) - 1
    known = ~np.isnan(moves) & (codes != UNKNOWN)
    same = known & (codes == codes[now])
    sample = moves[same]
    n, ups = len(sample), int((sample > 0).sum())
    base_n = int(known.sum())
    if n < MIN_SAMPLES or base_n < MIN_SAMPLES:
        return None
    tested, skill = _record(dec, codes, moves, days)
    edge_sign = float(dec.edge[now])
    base_rate = float(dec.base_rate[now])
    earned = tested >= RECORD_MIN_CALLS and skill is not None and skill > 0
    edge: Edge | None = None
    probability = base_rate
    if edge_sign != 0 and earned:
        edge = "up" if edge_sign > 0 else "down"
        probability = float(dec.probability[now])
    low, median, high = (float(x) for x in np.percentile(sample, (10, 50, 90)))
    return HorizonOdds(
        horizon=horizon,
        samples=n,
        ups=ups,
        frequency=ups / n,
        median_pct=median,
        low_pct=low,
        high_pct=high,
        base_samples=base_n,
        base_rate=base_rate,
        probability=probability,
        edge=edge,
        since=utc_from_ms(int(times[np.argmax(same)])),
        lean=("up" if edge_sign > 0 else "down") if edge_sign != 0 else None,
        tested=tested,
        tested_skill=skill,
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
        got = _horizon_odds(horizon, codes, forward_returns(close, days), bars.open_time)
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
