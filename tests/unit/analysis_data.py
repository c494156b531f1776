"""Snapshots for the analysis tests: replayed real data and small synthetic markets."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Settings
from bot.market.models import (
    TIMEFRAME_MS,
    CandleSeries,
    MarketSnapshot,
    Ticker,
    VenueDerivatives,
    ms_from_utc,
)
from bot.market.replay import ReplaySource

HOUR = timedelta(hours=1)


def at(iso: str) -> datetime:
    """Parse an ISO time as aware UTC."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC)


_sources: dict[Path, ReplaySource] = {}


def replay_snapshot(
    data: Path, settings: Settings, when: str, symbol: str = "BTC"
) -> MarketSnapshot:
    """The replayed real snapshot of ``symbol`` at ``when`` (the folder is parsed once)."""
    if data not in _sources:
        _sources[data] = ReplaySource(data, None, settings)
    return _sources[data].at_time(at(when)).snapshot_now(symbol)


def whale_json(data: Path, stamp: str) -> dict[str, Any]:
    """The raw whale snapshot whose file name contains ``stamp`` (e.g. "2026-02-04T14-30")."""
    (path,) = (data / "hyperliquid" / "whale_snapshots").glob(f"*{stamp}*.json")
    return dict(json.loads(path.read_text()))


def own_position(doc: dict[str, Any], address: str, coin: str) -> dict[str, Any] | None:
    """A trader's own position in ``coin`` from the daily/weekly lists of a raw snapshot."""
    for group in ("daily", "weekly"):
        for trader in doc["whaleTracker"][group]:
            if trader["address"].lower() == address:
                return next((p for p in trader["positions"] if p["coin"] == coin), None)
    raise KeyError(address)


def synthetic_series(timeframe: str, closes: np.ndarray, end: datetime,
                     spread: float = 0.005, gaps: tuple[int, ...] = ()) -> CandleSeries:
    """Bars ending just before ``end`` from a close path; ``gaps`` drop bars by index."""
    n = len(closes)
    step = TIMEFRAME_MS[timeframe]
    times = ms_from_utc(end) - step * np.arange(n, 0, -1)
    opens = np.concatenate([closes[:1], closes[:-1]]) if n else closes
    high = np.maximum(opens, closes) * (1 + spread)
    low = np.minimum(opens, closes) * (1 - spread)
    keep = np.array([i not in gaps for i in range(n)], dtype=bool)
    return CandleSeries.from_arrays(timeframe, times[keep], opens[keep], high[keep], low[keep],
                                    closes[keep], np.full(n, 100.0)[keep])


def synthetic_snapshot(closes_1h: np.ndarray, end: datetime, *, spread: float = 0.005,
                       gaps: tuple[int, ...] = (),
                       derivatives: tuple[VenueDerivatives, ...] = ()) -> MarketSnapshot:
    """A snapshot whose 4h and 1d bars take every 4th / 24th close of the 1h path."""
    candles = {
        "1h": synthetic_series("1h", closes_1h, end, spread, gaps),
        "4h": synthetic_series("4h", closes_1h[::-4][::-1], end, spread),
        "1d": synthetic_series("1d", closes_1h[::-24][::-1], end, spread),
    }
    ticker = None
    if len(closes_1h):
        ticker = Ticker(symbol="BTC/USDT", last=float(closes_1h[-1]), timestamp=end)
    return MarketSnapshot(symbol="BTC", as_of=end, source="replay", candles=candles,
                          ticker=ticker, derivatives=derivatives)
