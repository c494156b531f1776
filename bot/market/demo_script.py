"""The demo market's script: a fixed, seeded 1h price path with recognisable episodes.

Prices follow BTC-shaped waypoints (scaled per symbol) joined by Brownian bridges, so
every waypoint is hit exactly and the path in between looks like a market. Per-hour
state series (funding, open interest, long/short crowding) follow the same script.
Nothing here reads the wall clock; the same seed always gives the same market.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from types import MappingProxyType

import numpy as np

from bot.market.models import TIMEFRAME_MS, FloatArray, IntArray, ms_from_utc

DEMO_SEED = 20260301
DEMO_START = datetime(2025, 1, 1, tzinfo=UTC)
DEMO_END = datetime(2026, 3, 1, 12, tzinfo=UTC)
HOUR_MS = TIMEFRAME_MS["1h"]
_EPISODE_SIGMA = 0.0035  # hourly noise of episode legs, the same for every symbol

_RANGE_START = datetime(2025, 10, 27, tzinfo=UTC)
_BREAKOUT = datetime(2025, 12, 14, 12, tzinfo=UTC)
_SQUEEZE = datetime(2026, 1, 20, 12, tzinfo=UTC)

#: Moments at which a snapshot clearly shows each episode (DEMO_END is the crash).
DEMO_EPISODES: Mapping[str, datetime] = MappingProxyType(
    {
        "range": datetime(2025, 12, 8, 12, tzinfo=UTC),
        "breakout": _BREAKOUT,
        "squeeze": _SQUEEZE,
        "crash_rebound": DEMO_END,
    }
)


@dataclass(frozen=True, slots=True)
class _Leg:
    """A move of the BTC-shaped path to ``level`` at ``at``; episode legs are not beta-scaled."""

    at: datetime
    level: float
    noise: float = 1.0
    volume: float = 1.0
    episode: bool = False


def _d(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Range swings around 90k: (hours, % from the midline), irregular so no trend forms.
_RANGE_SWINGS = ((36, 1.5), (24, -1.2), (30, 1.0), (36, -1.5), (24, 1.2), (30, -0.8))
_RANGE_NOISE = 0.5


def _range_legs() -> list[_Leg]:
    """Irregular 1-1.5 day swings of up to ±1.5 % around 90k until the breakout starts."""
    legs: list[_Leg] = []
    at, i = _RANGE_START, 0
    stop = _BREAKOUT - timedelta(hours=14)
    while True:
        hours, pct = _RANGE_SWINGS[i % len(_RANGE_SWINGS)]
        at += timedelta(hours=hours)
        if at + timedelta(hours=24) >= stop:
            break
        legs.append(_Leg(at, 90_000 * (1 + pct / 100), _RANGE_NOISE, 0.7, True))
        i += 1
    legs.append(_Leg(stop, 90_000, _RANGE_NOISE, 0.7, True))
    return legs


def _script() -> tuple[_Leg, ...]:
    macro = [
        ("2025-01-20T12:00", 106_000), ("2025-02-10T00:00", 97_000),
        ("2025-03-10T00:00", 80_000), ("2025-03-25T00:00", 87_500),
        ("2025-04-07T00:00", 76_500), ("2025-05-01T00:00", 96_000),
        ("2025-05-22T00:00", 109_000), ("2025-06-22T00:00", 99_000),
        ("2025-07-14T00:00", 109_500), ("2025-08-02T00:00", 101_000),
        ("2025-08-14T00:00", 108_500), ("2025-09-01T00:00", 100_500),
        ("2025-09-20T00:00", 102_000), ("2025-10-06T00:00", 107_500),
        ("2025-10-11T00:00", 98_000), ("2025-10-20T00:00", 93_000),
        ("2025-10-27T00:00", 90_000),
    ]
    legs = [_Leg(_d(t), lvl) for t, lvl in macro]
    legs += _range_legs()
    legs += [
        _Leg(_BREAKOUT, 96_800, 0.4, 5.0, True),
        _Leg(_d("2025-12-16T00:00"), 98_500, 0.8, 1.8),
        _Leg(_d("2025-12-28T00:00"), 95_000), _Leg(_d("2026-01-08T00:00"), 93_500),
        _Leg(_d("2026-01-15T12:00"), 92_000),
        _Leg(_SQUEEZE - timedelta(hours=24), 88_500, 0.5, 1.2, True),
        _Leg(_SQUEEZE, 97_500, 0.4, 3.0, True),
        _Leg(_d("2026-01-22T00:00"), 99_500, 0.8, 1.5),
        _Leg(_d("2026-02-01T00:00"), 96_000), _Leg(_d("2026-02-10T00:00"), 101_500),
        _Leg(_d("2026-02-18T00:00"), 99_000), _Leg(_d("2026-02-26T00:00"), 104_000),
        _Leg(DEMO_END - timedelta(hours=22), 105_500, 0.6, 1.3),
        _Leg(DEMO_END - timedelta(hours=6), 94_400, 0.3, 4.0, True),
        _Leg(DEMO_END, 99_400, 0.3, 3.0, True),
    ]
    return tuple(legs)


@dataclass(frozen=True, slots=True)
class _Profile:
    start_price: float
    beta: float
    episode_beta: float
    sigma: float
    quote_per_hour: float
    oi_usd: float


_PROFILES: Mapping[str, _Profile] = MappingProxyType(
    {
        "BTC": _Profile(94_000, 1.0, 1.0, 0.0035, 90e6, 32e9),
        "ETH": _Profile(3_300, 1.25, 1.08, 0.0045, 45e6, 18e9),
        "SOL": _Profile(190, 1.5, 1.15, 0.0055, 15e6, 6e9),
    }
)
_GENERIC = _Profile(10.0, 1.6, 1.15, 0.008, 5e6, 1.5e9)

# State waypoints: (time, funding bias per 8h, open-interest level, retail L/S, pro L/S).
_NEUTRAL = (0.0, 1.0, 1.0, 1.0)
_STATE: tuple[tuple[datetime, tuple[float, float, float, float]], ...] = (
    (DEMO_START, _NEUTRAL),
    (_RANGE_START, _NEUTRAL),
    (_RANGE_START + timedelta(days=5), (-0.00003, 0.95, 1.0, 1.0)),
    (_BREAKOUT - timedelta(hours=14), (-0.00003, 0.95, 1.0, 1.0)),
    (_BREAKOUT, (0.00015, 1.12, 1.1, 1.1)),
    (_BREAKOUT + timedelta(days=3), _NEUTRAL),
    (_SQUEEZE - timedelta(days=6), _NEUTRAL),
    (_SQUEEZE - timedelta(hours=30), (-0.0009, 1.15, 0.42, 0.6)),
    (_SQUEEZE, (-0.0006, 1.02, 0.45, 0.62)),
    (_SQUEEZE + timedelta(days=3), _NEUTRAL),
    (DEMO_END - timedelta(days=10), _NEUTRAL),
    (DEMO_END - timedelta(hours=22), (0.0004, 1.18, 1.1, 1.05)),
    (DEMO_END - timedelta(hours=6), (-0.00012, 0.99, 1.05, 0.8)),
    (DEMO_END, (-0.00005, 1.0, 1.05, 0.8)),
)


@dataclass(frozen=True, slots=True, eq=False)
class DemoSeries:
    """One symbol's whole demo history: 1h bars (bar ``k`` opens at ``open_time[k]``)
    and per-bar state at each bar's close (funding per 8h, OI in coins, L/S factors)."""

    symbol: str
    open_time: IntArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray
    funding_8h: FloatArray
    oi_coins: FloatArray
    ls_retail: FloatArray
    ls_pro: FloatArray

    def index_closing_at(self, as_of_ms: int) -> int:
        """Index of the last bar closed at or before ``as_of_ms`` (-1 if none)."""
        return int(np.searchsorted(self.open_time, as_of_ms - HOUR_MS, side="right")) - 1


def _hours(when: datetime) -> int:
    return (ms_from_utc(when) - ms_from_utc(DEMO_START)) // HOUR_MS


def _log_path(
    profile: _Profile, shocks: FloatArray, n: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Log prices at each hour boundary plus per-bar noise and volume factors."""
    legs = _script()
    knots = np.zeros(len(legs) + 1, dtype=np.int64)
    levels = np.zeros(len(legs) + 1)
    levels[0] = np.log(profile.start_price)
    prev = np.log(94_000.0)
    for i, leg in enumerate(legs, start=1):
        move = np.log(leg.level) - prev
        prev = np.log(leg.level)
        levels[i] = levels[i - 1] + move * (profile.episode_beta if leg.episode else profile.beta)
        knots[i] = _hours(leg.at)
    logp = np.empty(n + 1)
    noise = np.empty(n)
    volume = np.empty(n)
    for i, leg in enumerate(legs):
        a, b = int(knots[i]), int(knots[i + 1])
        steps = np.arange(1, b - a + 1) / (b - a)
        sigma = _EPISODE_SIGMA * profile.episode_beta if leg.episode else profile.sigma
        walk = np.cumsum(shocks[a:b]) * sigma * leg.noise
        bridge = walk - steps * walk[-1]
        logp[a] = levels[i]
        logp[a + 1 : b + 1] = levels[i] + steps * (levels[i + 1] - levels[i]) + bridge
        noise[a:b] = sigma * leg.noise
        volume[a:b] = leg.volume
    return logp, noise, volume


def _state(n: int) -> FloatArray:
    """The interpolated state waypoints at each bar's close, shape (4, n)."""
    xs = np.array([_hours(t) for t, _ in _STATE], dtype=np.float64)
    ys = np.array([v for _, v in _STATE], dtype=np.float64)
    closes = np.arange(1, n + 1, dtype=np.float64)
    return np.vstack([np.interp(closes, xs, ys[:, j]) for j in range(4)])


@cache
def _common_shocks(n: int) -> FloatArray:
    return np.random.default_rng(DEMO_SEED).standard_normal(n)


@cache
def demo_series(symbol: str) -> DemoSeries:
    """The (cached) demo history of ``symbol``; unknown names get a generic profile."""
    profile = _PROFILES.get(symbol, _GENERIC)
    n = _hours(DEMO_END)
    rng = np.random.default_rng([DEMO_SEED, zlib.crc32(symbol.encode())])
    shocks = 0.7 * _common_shocks(n) + np.sqrt(1 - 0.49) * rng.standard_normal(n)
    logp, noise, vol_factor = _log_path(profile, shocks, n)
    price = np.exp(logp)
    open_, close = price[:-1], price[1:]
    wick = 0.35 * noise
    high = np.maximum(open_, close) * np.exp(np.abs(rng.standard_normal(n)) * wick)
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.standard_normal(n)) * wick)
    ret = np.abs(np.diff(logp)) / profile.sigma
    season = 1.0 + 0.25 * np.sin(2 * np.pi * (np.arange(n) % 24 - 8) / 24)
    quote = (
        profile.quote_per_hour * season * (1 + 0.8 * np.minimum(ret, 4.0)) * vol_factor
        * np.exp(0.25 * rng.standard_normal(n))
    )
    state = _state(n)
    r72 = logp[1:] - logp[np.maximum(np.arange(1, n + 1) - 72, 0)]
    funding = (
        np.clip(0.0001 + 0.0015 * r72, -0.0002, 0.0004) + state[0]
        + 0.00002 * rng.standard_normal(n)
    )
    hours = np.arange(n)
    wobble = np.exp(0.06 * np.sin(hours / 90.0) + 0.03 * np.sin(hours / 23.0 + 1.0))
    oi_coins = profile.oi_usd / profile.start_price * state[1] * wobble
    open_time = ms_from_utc(DEMO_START) + np.arange(n, dtype=np.int64) * HOUR_MS
    return DemoSeries(
        symbol, _ro(open_time), _ro(open_), _ro(high), _ro(low), _ro(close),
        _ro(quote / close), _ro(funding), _ro(oi_coins), _ro(state[2]), _ro(state[3]),
    )


def _ro(a: np.ndarray) -> np.ndarray:
    out = np.array(a, copy=True)
    out.setflags(write=False)
    return out

