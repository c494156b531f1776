"""Stored analyses as versioned JSON: ``{"v": 1, "analysis": {...}}``, validated on load.

The storage keeps text only; this codec (passed to ``Storage.open`` by every composition
root) knows the ``Analysis`` types. Loading validates the record with pydantic and puts
back what JSON cannot tell apart (read-only mappings, whole numbers in float fields, UTC),
so a record comes back ``==`` to what was stored. A record of another version or shape
reads as ``None``: the post is stale and its buttons answer politely. Rows pickled before
(schema 5) are upgraded once through ``upgrade``.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import pickle
from datetime import UTC, datetime
from functools import cache
from types import MappingProxyType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.analysis.model import Analysis
from bot.analysis.serialize import plain

log = logging.getLogger(__name__)

#: The record format written now; any other version reads as stale.
VERSION = 1
#: Modules an old pickle may name (anything else is refused, never imported).
_PICKLED_MODULES = frozenset({"bot.analysis.model", "bot.market.models", "datetime"})


@cache
def _adapter() -> TypeAdapter[Analysis]:
    """The validator of ``Analysis``, built once on first use (it takes a while)."""
    return TypeAdapter(Analysis)


def _restore(value: Any, raw: Any) -> Any:
    """``value`` as validated from ``raw``, with what validation changed put back.

    Mappings become read-only again, whole numbers stored in float fields stay ints and
    times are in ``datetime.UTC``. Dataclasses are fixed in place: they are fresh objects.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if isinstance(raw, dict):
            for f in dataclasses.fields(value):
                old = getattr(value, f.name)
                new = _restore(old, raw.get(f.name))
                if new is not old:
                    object.__setattr__(value, f.name, new)
        return value
    if isinstance(value, dict):
        raws = list(raw.values()) if isinstance(raw, dict) else [None] * len(value)
        return MappingProxyType(
            {k: _restore(v, r) for (k, v), r in zip(value.items(), raws, strict=True)})
    if isinstance(value, tuple):
        raws = raw if isinstance(raw, list) and len(raw) == len(value) else [None] * len(value)
        items = tuple(_restore(v, r) for v, r in zip(value, raws, strict=True))
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, float) and type(raw) is int and raw == value:
        return raw
    if isinstance(value, datetime) and value.tzinfo is not UTC and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return value


class _OldPickle(pickle.Unpickler):
    """Unpickles the analyses of schema 5: model classes and times only."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("bot.storage.db", "read_only"):  # the old MappingProxyType reduce
            return MappingProxyType
        if module not in _PICKLED_MODULES:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a stored analysis")
        return super().find_class(module, name)


class AnalysisCodec:
    """``Analysis`` ↔ versioned JSON text (the ``PostCodec`` of ``bot.storage``)."""

    def encode(self, value: Any) -> str:
        """The record of ``value``; ``TypeError`` unless it is an ``Analysis``."""
        if not isinstance(value, Analysis):
            raise TypeError(f"only an Analysis is stored, not {type(value).__name__}")
        return json.dumps({"v": VERSION, "analysis": plain(value)}, allow_nan=False,
                          ensure_ascii=False, separators=(",", ":"))

    def decode(self, text: str) -> Analysis | None:
        """The analysis of a record, or ``None`` (logged) when it cannot be read any more."""
        try:
            record = json.loads(text)
        except ValueError:
            log.warning("stored analysis is not JSON; treating the post as stale")
            return None
        version = record.get("v") if isinstance(record, dict) else None
        if version != VERSION or "analysis" not in record:
            log.warning("stored analysis has version %r, not %d; treating the post as stale",
                        version, VERSION)
            return None
        raw = record["analysis"]
        try:
            analysis = _adapter().validate_python(raw)
        except ValidationError as e:
            log.warning("stored analysis no longer fits the model (%d errors, first: %s); "
                        "treating the post as stale", e.error_count(), e.errors()[0]["loc"])
            return None
        restored: Analysis = _restore(analysis, raw)
        return restored

    def upgrade(self, blob: bytes) -> str | None:
        """The record of an analysis pickled before JSON; ``None`` when it does not load
        back equal (a class changed since: its values would sit in the wrong fields)."""
        try:
            old = _OldPickle(io.BytesIO(blob)).load()
            if not isinstance(old, Analysis):
                return None
            text = self.encode(old)
        except Exception as e:  # any unreadable pickle is a stale post, never a crash
            log.warning("a pickled analysis could not be read (%s); the post is stale", e)
            return None
        return text if self.decode(text) == old else None


#: The codec the composition roots pass to ``Storage.open``.
ANALYSIS_CODEC = AnalysisCodec()
