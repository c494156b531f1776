"""Recorded snapshots: one MarketSnapshot per line of a JSON-lines file.

The format is documented in ``docs/recording-format.md``. Each line is a JSON
object with ``"format": "market-commentator/snapshot"`` and ``"version": 1``;
dataclass fields keep their names, datetimes are ISO-8601 UTC strings (``Z``),
tuples are lists. Candles are omitted unless ``include_candles`` is set, and the long
daily history always is (replay reads candles from kline CSVs; recordings carry
derivatives and whales).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

import numpy as np

from bot.errors import ReplayDataError
from bot.market.models import CandleSeries, MarketSnapshot, iso_from_utc, utc_from_iso

FORMAT_NAME = "market-commentator/snapshot"
FORMAT_VERSION = 1
_CANDLE_ARRAYS = ("open_time", "open", "high", "low", "close", "volume")


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return iso_from_utc(value)
    if isinstance(value, Mapping):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _candles_json(series: CandleSeries) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(series, name).tolist() for name in _CANDLE_ARRAYS}
    data["forming"] = series.forming
    return data


def snapshot_to_json(snapshot: MarketSnapshot, include_candles: bool = False) -> dict[str, Any]:
    """A snapshot as a JSON-ready dict in the recording format."""
    doc: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION}
    for f in dataclasses.fields(snapshot):
        if f.name not in ("candles", "daily_history"):
            doc[f.name] = _encode(getattr(snapshot, f.name))
    if include_candles:
        doc["candles"] = {tf: _candles_json(s) for tf, s in snapshot.candles.items()}
    return doc


def write_snapshot(fp: IO[str], snapshot: MarketSnapshot, include_candles: bool = False) -> None:
    """Append ``snapshot`` as one line to the open text file ``fp``."""
    line = json.dumps(snapshot_to_json(snapshot, include_candles), separators=(",", ":"))
    fp.write(line + "\n")


def _decode(hint: Any, value: Any) -> Any:
    """Rebuild a value of the type ``hint`` from its JSON form."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(options[0], value)
    if origin is typing.Literal or hint is Any:
        return value
    if origin is tuple:
        return tuple(_decode(typing.get_args(hint)[0], v) for v in value)
    if origin in (Mapping, dict) or hint is dict:
        return dict(value)
    if hint is datetime:
        return utc_from_iso(str(value))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _dataclass(hint, value)
    if hint is float and value is not None:
        return float(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _member(hint, value)
    return value


def _member(cls: type[enum.Enum], value: Any) -> Any:
    """The member of ``cls`` named by ``value``; a code this version lacks is kept as given."""
    try:
        return cls(value)
    except ValueError:
        return value


def _dataclass(cls: type, data: Mapping[str, Any]) -> Any:
    hints = typing.get_type_hints(cls)
    kwargs = {
        f.name: _decode(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)
        if f.name in data
    }
    return cls(**kwargs)


def snapshot_from_json(doc: Mapping[str, Any]) -> MarketSnapshot:
    """The inverse of :func:`snapshot_to_json`."""
    if doc.get("format") != FORMAT_NAME or doc.get("version") != FORMAT_VERSION:
        raise ValueError(f"not a {FORMAT_NAME} v{FORMAT_VERSION} line")
    candles = {
        tf: CandleSeries.from_arrays(
            tf,
            raw["open_time"],
            raw["open"],
            raw["high"],
            raw["low"],
            raw["close"],
            raw["volume"],
            forming=bool(raw.get("forming")),
        )
        for tf, raw in (doc.get("candles") or {}).items()
    }
    fields = {k: v for k, v in doc.items()
              if k not in ("format", "version", "candles", "daily_history")}
    snapshot: MarketSnapshot = _dataclass(MarketSnapshot, {**fields, "candles": {}})
    return dataclasses.replace(snapshot, candles=MappingProxyType(candles))


def read_snapshots(path: Path) -> list[MarketSnapshot]:
    """All snapshots of a recording, in file order (blank lines are skipped)."""
    snapshots: list[MarketSnapshot] = []
    try:
        with path.open("r", encoding="utf-8") as fp:
            for number, line in enumerate(fp, start=1):
                if not line.strip():
                    continue
                try:
                    snapshots.append(snapshot_from_json(json.loads(line)))
                except (ValueError, KeyError, TypeError, AttributeError) as e:
                    raise ReplayDataError(
                        f"{path}: malformed recording at line {number} ({e})"
                    ) from e
    except (OSError, UnicodeDecodeError) as e:
        raise ReplayDataError(f"{path}: cannot read recording ({e})") from e
    return snapshots
