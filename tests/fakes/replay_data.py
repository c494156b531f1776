"""Small synthetic replay folders: kline CSVs in every supported shape and time unit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

HOUR_MS = 3_600_000
START = datetime(2026, 1, 1, tzinfo=UTC)
START_MS = int(START.timestamp() * 1000)

Shape = Literal["binance12", "header12", "header6", "plain6"]
Unit = Literal["s", "ms", "us", "iso"]


@dataclass(frozen=True)
class Bar:
    """One kline row (open time in ms)."""

    open_time: int
    open: float
    high: float
    low: float
    close: float
    volume: float
    interval_ms: int = HOUR_MS

    @property
    def quote_volume(self) -> float:
        return round(self.volume * self.close, 4)


def hourly_bars(hours: int, start_ms: int = START_MS) -> list[Bar]:
    """Deterministic 1h bars: a gentle wave, every bar distinct."""
    bars: list[Bar] = []
    price = 100.0
    for i in range(hours):
        close = round(100.0 + 10.0 * math.sin(i / 7.0) + i * 0.05, 2)
        high = round(max(price, close) + 0.5 + (i % 3) * 0.1, 2)
        low = round(min(price, close) - 0.5 - (i % 4) * 0.1, 2)
        bars.append(Bar(start_ms + i * HOUR_MS, price, high, low, close, 10.0 + i % 5))
        price = close
    return bars


def aggregate(bars: list[Bar], hours: int) -> list[Bar]:
    """Bars of ``hours`` hours built from consecutive complete groups of 1h bars."""
    span = hours * HOUR_MS
    groups: dict[int, list[Bar]] = {}
    for bar in bars:
        groups.setdefault(bar.open_time - bar.open_time % span, []).append(bar)
    return [
        Bar(
            start,
            group[0].open,
            max(b.high for b in group),
            min(b.low for b in group),
            group[-1].close,
            round(sum(b.volume for b in group), 6),
            span,
        )
        for start, group in sorted(groups.items())
        if len(group) == hours
    ]


def _time(ms: int, unit: Unit) -> str:
    if unit == "s":
        return str(ms // 1000)
    if unit == "ms":
        return str(ms)
    if unit == "us":
        return str(ms * 1000)
    stamp = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return stamp.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if ms % 1000 else stamp.strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def kline_lines(bars: list[Bar], shape: Shape, unit: Unit = "ms") -> list[str]:
    """CSV lines of ``bars`` in one of the supported layouts."""
    lines: list[str] = []
    if shape == "header12":
        lines.append(
            "open_time,datetime,open,high,low,close,volume,close_time,quote_volume,trades,"
            "taker_buy_base,taker_buy_quote"
        )
    elif shape == "header6":
        lines.append("timestamp,open,high,low,close,volume")
    for b in bars:
        ohlcv = f"{b.open},{b.high},{b.low},{b.close},{b.volume}"
        close_time = _time(b.open_time + b.interval_ms - 1, unit)
        if shape == "binance12":
            tail = f"{close_time},{b.quote_volume},42,1.0,2.0,0"
            lines.append(f"{_time(b.open_time, unit)},{ohlcv},{tail}")
        elif shape == "header12":
            stamp = _time(b.open_time, "iso")
            tail = f"{close_time},{b.quote_volume},42,1.0,2.0"
            lines.append(f"{_time(b.open_time, unit)},{stamp},{ohlcv},{tail}")
        else:
            lines.append(f"{_time(b.open_time, unit)},{ohlcv}")
    return lines


def write_klines(path: Path, bars: list[Bar], shape: Shape = "header12", unit: Unit = "ms") -> Path:
    """Write ``bars`` to ``path`` (parents created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(kline_lines(bars, shape, unit)) + "\n", encoding="utf-8")
    return path


def write_market(directory: Path, hours: int = 24 * 20, market: str = "BTCUSDT") -> list[Bar]:
    """A folder with consistent 1h, 4h and 1d files of ``market``; returns the 1h bars."""
    bars = hourly_bars(hours)
    write_klines(directory / f"{market}_1h_test.csv", bars)
    write_klines(directory / "4h" / f"{market}-4h-2026-01.csv", aggregate(bars, 4), "binance12")
    write_klines(directory / f"{market}_1d_test.csv", aggregate(bars, 24), "header6", "iso")
    return bars
