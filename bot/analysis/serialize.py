"""Analysis → plain JSON (the ``digest --format json`` interface).

Numbers are JSON numbers or null (never NaN or infinity), times ISO-8601 UTC with
``Z``, mapping keys strings (``"20"`` for SMA20).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.analysis.model import Aggregate, Analysis, Derivatives, IndicatorSet, Odds, PriceAction
from bot.analysis.odds import horizon_name
from bot.market.models import iso_from_utc


def plain(value: Any) -> Any:
    """Dataclasses, mappings, sequences, datetimes and floats → JSON-ready values."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return iso_from_utc(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return plain(value.item())
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _price(p: PriceAction | None) -> dict[str, Any]:
    if p is None:
        return {"last": None, "change_24h_pct": None, "low_24h": None, "high_24h": None}
    return dict(plain(p))


def _indicators(ind: IndicatorSet) -> dict[str, Any]:
    out = plain(ind)
    out.pop("timeframe", None)
    return dict(out)


def _aggregate(name: str, agg: Aggregate, coverage: dict[str, list[str]]) -> Any:
    coverage[name] = list(agg.venues)
    return plain(agg.value)


def _derivatives(d: Derivatives) -> dict[str, Any]:
    coverage: dict[str, list[str]] = {}
    return {
        "venues": plain(d.venues),
        "open_interest_usd": _aggregate("open_interest_usd", d.open_interest_usd, coverage),
        "open_interest_change_24h_pct": _aggregate(
            "open_interest_change_24h_pct", d.open_interest_change_24h_pct, coverage),
        "volume_24h_usd": _aggregate("volume_24h_usd", d.volume_24h_usd, coverage),
        "volume_change_pct": _aggregate("volume_change_pct", d.volume_change_pct, coverage),
        "long_short_ratio": _aggregate("long_short_ratio", d.long_short_ratio, coverage),
        "funding_rate": _aggregate("funding_rate", d.funding_rate_8h_mean, coverage),
        "funding_rate_spread": _aggregate("funding_rate_spread", d.funding_rate_8h_spread,
                                          coverage),
        "coverage": coverage,
        "divergences": plain(d.divergences),
        "missing": plain(d.missing),
    }


def _odds(odds: Odds | None) -> dict[str, Any] | None:
    if odds is None:
        return None
    out = plain(odds)
    for row, horizon in zip(out["horizons"], odds.horizons, strict=True):
        row["horizon"] = horizon_name(horizon.horizon)
    return dict(out)


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The JSON object of one analysis (see the analysis issue for the required keys)."""
    return {
        "symbol": analysis.symbol,
        "as_of": iso_from_utc(analysis.as_of),
        "source": analysis.source,
        "price": _price(analysis.price),
        "indicators": {tf: _indicators(ind) for tf, ind in analysis.indicators.items()},
        "trend": plain(analysis.trend),
        "levels": plain(analysis.levels),
        "derivatives": _derivatives(analysis.derivatives),
        "whales": plain(analysis.whales),
        "bias": plain(analysis.bias),
        "outlook": plain(analysis.outlook),
        "events": plain(analysis.events),
        "odds": _odds(analysis.odds),
    }
