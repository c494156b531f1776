"""Readers for replay files: Binance kline CSVs and Binance USD-M funding CSVs.

Kline CSVs may have a header or not, 6 columns (time, open, high, low, close,
volume) or 12 (the Binance kline layout, or the same with a ``datetime`` column
named in a header). Times may be seconds, milliseconds, microseconds,
nanoseconds or ISO dates; everything becomes milliseconds since the epoch (UTC).
Several files of one symbol/timeframe are merged by :func:`merge_klines`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from bot.errors import ReplayDataError
from bot.market.models import TIMEFRAME_MS, FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]

PRICE_COLUMNS = ("open", "high", "low", "close", "volume")
_TIME_NAMES = ("open_time", "opentime", "timestamp", "time", "date", "datetime")
_QUOTE_NAMES = ("quote_volume", "quote_asset_volume", "quote_av", "quotevolume")
_TOKEN_SPLIT = re.compile(r"[_\-.\s]+")
_DERIVATIVE_VENUES = ("binanceusdm", "okx", "bybit", "hyperliquid")

# Row status used by the merge: a higher value wins for the same open time.
PARTIAL = 0  # close_time shows the bar had not closed when the file was written
UNSURE = 1  # last row of a file without close_time: may be a partial candle
COMPLETE = 2  # close_time confirms a full bar, or a later row follows in the file


@dataclass(frozen=True, slots=True)
class KlineTable:
    """Closed-or-complete bars of one symbol/timeframe, sorted by open time (ms)."""

    timeframe: str
    open_time: IntArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray
    quote_volume: FloatArray  # NaN where the file had no quote volume
    unsure: BoolArray | None = None  # rows that may be partial candles (None: all complete)

    def __len__(self) -> int:
        return len(self.open_time)


@dataclass(frozen=True, slots=True)
class FundingTable:
    """Funding events of one perpetual: times (ms), rates and mark prices."""

    venue: str
    market_id: str
    time: IntArray
    rate: FloatArray
    mark_price: FloatArray

    @property
    def interval_hours(self) -> float:
        """Native funding interval: the median spacing of events (8 when unknown)."""
        if len(self.time) < 2:
            return 8.0
        return float(np.median(np.diff(self.time))) / 3_600_000.0


def classify_name(path: Path) -> tuple[str | None, str | None]:
    """(market id, timeframe) guessed from a file name such as ``BTCUSDT-1h-2026-02.csv``."""
    tokens = [t for t in _TOKEN_SPLIT.split(path.stem) if t]
    timeframe = next((t for t in tokens if t in TIMEFRAME_MS), None)
    market = next(
        (t.upper() for t in tokens if re.fullmatch(r"[A-Za-z0-9]{5,20}", t) and _is_pair(t)),
        None,
    )
    return market, timeframe


def _is_pair(token: str) -> bool:
    upper = token.upper()
    return token == upper and any(
        upper.endswith(q) and len(upper) > len(q) for q in ("USDT", "USDC", "USD", "BUSD", "FDUSD")
    )


def funding_venue(path: Path) -> str:
    """The derivatives venue a funding file belongs to (Binance USD-M unless named)."""
    tokens = {t.lower() for t in _TOKEN_SPLIT.split(path.stem)}
    return next((v for v in _DERIVATIVE_VENUES if v in tokens), "binanceusdm")


def is_funding_csv(path: Path) -> bool:
    """True when the file's first line is a funding header (``fundingTime,...``)."""
    with path.open("r", encoding="utf-8", errors="replace") as fp:
        first = fp.readline().lower()
    return "fundingtime" in first.replace("_", "")


def _has_header(first_line: str) -> bool:
    fields = first_line.strip().split(",")
    for value in fields[1:5]:
        try:
            float(value)
        except ValueError:
            return True
    return False


def _read_frame(path: Path) -> tuple[pd.DataFrame, bool]:
    try:
        with path.open("r", encoding="utf-8") as fp:
            first = fp.readline()
        header = _has_header(first)
        frame = pd.read_csv(path, header=0 if header else None, dtype=str, skip_blank_lines=True)
    except (OSError, UnicodeDecodeError) as e:
        raise ReplayDataError(f"{path}: cannot read file ({e})") from e
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise ReplayDataError(f"{path}: malformed CSV ({str(e).strip()})") from e
    return frame, header


def _line_of(index: int, header: bool) -> int:
    return index + 1 + (1 if header else 0)


def _numeric(path: Path, frame: pd.DataFrame, col: object, header: bool) -> FloatArray:
    values = pd.to_numeric(frame[col].str.strip(), errors="coerce")
    bad = values.isna() & frame[col].notna()
    if frame[col].isna().any() or bad.any():
        where = int(np.flatnonzero((bad | frame[col].isna()).to_numpy())[0])
        raise ReplayDataError(
            f"{path}: malformed row at line {_line_of(where, header)} "
            f"(column {col!r} is {frame[col].iloc[where]!r}, expected a number)"
        )
    return values.to_numpy(dtype=np.float64)


def to_epoch_ms(path: Path, raw: pd.Series, header: bool) -> IntArray:
    """A time column (s/ms/µs/ns numbers or ISO strings) → int64 ms since the epoch."""
    text = raw.astype(str).str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.notna().all() and len(numbers):
        return _scale_epoch(numbers.to_numpy(dtype=np.float64))
    try:
        stamps = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    except (ValueError, TypeError) as e:
        raise ReplayDataError(f"{path}: cannot read times ({e})") from e
    if stamps.isna().any():
        where = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise ReplayDataError(
            f"{path}: malformed row at line {_line_of(where, header)} "
            f"(time {raw.iloc[where]!r} is neither an epoch number nor an ISO date)"
        )
    ms = stamps.dt.tz_convert(None).to_numpy(dtype="datetime64[ms]")
    return ms.astype(np.int64)


def _scale_epoch(values: FloatArray) -> IntArray:
    """Epoch numbers in s, ms, µs or ns (told apart by magnitude) → int64 ms."""
    biggest = float(np.abs(values).max())
    if biggest < 1e11:  # seconds (until the year 5138)
        return np.round(values * 1000.0).astype(np.int64)
    ints = np.round(values).astype(np.int64)
    if biggest < 1e14:
        return ints
    return ints // (1_000 if biggest < 1e17 else 1_000_000)


def _columns(path: Path, frame: pd.DataFrame, header: bool) -> dict[str, object]:
    """Map roles (time, open, ..., close_time, quote) to frame columns."""
    if header:
        names = {str(c).strip().lower().replace(" ", "_"): c for c in frame.columns}
        roles: dict[str, object] = {}
        time_col = next((names[n] for n in _TIME_NAMES if n in names), None)
        if time_col is not None and all(p in names for p in PRICE_COLUMNS):
            roles["time"] = time_col
            roles.update({p: names[p] for p in PRICE_COLUMNS})
            if "close_time" in names:
                roles["close_time"] = names["close_time"]
            quote = next((names[n] for n in _QUOTE_NAMES if n in names), None)
            if quote is not None:
                roles["quote"] = quote
            return roles
    cols = list(frame.columns)
    if len(cols) not in (6, 12):
        raise ReplayDataError(
            f"{path}: expected 6 or 12 kline columns (or a header naming open/high/low/close/"
            f"volume), found {len(cols)}"
        )
    roles = {"time": cols[0], **{p: cols[i + 1] for i, p in enumerate(PRICE_COLUMNS)}}
    if len(cols) == 12:
        roles["close_time"], roles["quote"] = cols[6], cols[7]
    return roles


def read_kline_csv(path: Path, timeframe: str) -> pd.DataFrame:
    """One kline file → frame of open_time, OHLCV, quote_volume, status (see PARTIAL...)."""
    frame, header = _read_frame(path)
    if frame.empty:
        raise ReplayDataError(f"{path}: no rows")
    roles = _columns(path, frame, header)
    out = pd.DataFrame({"open_time": to_epoch_ms(path, frame[roles["time"]], header)})
    for name in PRICE_COLUMNS:
        out[name] = _numeric(path, frame, roles[name], header)
    quote = roles.get("quote")
    out["quote_volume"] = (
        pd.to_numeric(frame[quote], errors="coerce").to_numpy(np.float64) if quote is not None
        else np.nan
    )
    status = np.full(len(out), COMPLETE, dtype=np.int64)
    if "close_time" in roles and frame[roles["close_time"]].notna().all():
        close_ms = to_epoch_ms(path, frame[roles["close_time"]], header)
        short = close_ms + 1 < out["open_time"].to_numpy() + TIMEFRAME_MS[timeframe]
        status[short] = PARTIAL
    else:
        status[int(np.argmax(out["open_time"].to_numpy()))] = UNSURE
    out["status"] = status
    out["file_end"] = int(out["open_time"].max())
    return out


def merge_klines(timeframe: str, frames: Sequence[pd.DataFrame]) -> KlineTable:
    """Merge frames of one symbol/timeframe by open time.

    For one open time the row with the best status wins (complete > unsure >
    partial); ties go to the file that continues furthest. Rows still partial
    after the merge are dropped; rows still unsure are flagged in ``unsure``
    (see :func:`bot.market.replay_candles.settle_unsure`).
    """
    both = pd.concat(frames, ignore_index=True)
    both = both.sort_values(["open_time", "status", "file_end"], kind="mergesort")
    both = both.drop_duplicates("open_time", keep="last")
    both = both[both["status"] != PARTIAL]
    def col(name: str) -> FloatArray:
        return both[name].to_numpy(np.float64)

    return KlineTable(
        timeframe,
        both["open_time"].to_numpy(np.int64),
        col("open"),
        col("high"),
        col("low"),
        col("close"),
        col("volume"),
        col("quote_volume"),
        unsure=both["status"].to_numpy() == UNSURE,
    )


def read_funding_csv(path: Path, venue: str, market_id: str) -> FundingTable:
    """A ``fundingTime,fundingRate,markPrice`` CSV → FundingTable sorted by time."""
    frame, _ = _read_frame(path)
    names = {str(c).strip().lower(): c for c in frame.columns}
    if "fundingtime" not in names or "fundingrate" not in names:
        raise ReplayDataError(f"{path}: funding CSV needs fundingTime and fundingRate columns")
    times = to_epoch_ms(path, frame[names["fundingtime"]], True)
    rates = _numeric(path, frame, names["fundingrate"], True)
    mark = (
        pd.to_numeric(frame[names["markprice"]], errors="coerce").to_numpy(np.float64)
        if "markprice" in names else np.full(len(frame), np.nan)
    )
    order = np.argsort(times, kind="mergesort")
    return FundingTable(venue, market_id, times[order], rates[order], mark[order])


def find_files(directory: Path, suffixes: Iterable[str]) -> list[Path]:
    """Files under ``directory`` (recursively) with one of ``suffixes``, sorted by path."""
    wanted = {s.lower() for s in suffixes}
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
