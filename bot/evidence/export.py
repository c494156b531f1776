"""Backtest rows and summaries as plain data: one dict per call (CSV/JSON) and the summary."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.analysis.odds import horizon_name
from bot.analysis.serialize import plain
from bot.evidence.backtest import Backtest, HorizonSummary, Row
from bot.market.models import iso_from_utc

COLUMNS = (
    "time", "symbol", "horizon", "price", "bias", "bias_score", "setup", "samples", "edge",
    "probability_up", "base_rate", "range_low", "range_high", "momentum", "support",
    "resistance", "invalidation", "price_after", "change_pct", "up", "in_range",
    "levels_touched", "first_level",
)


def row_dict(row: Row) -> dict[str, Any]:
    """One call and its outcome (None where not yet known)."""
    call, out = row.call, row.outcome
    levels = {lv.role: lv.price for lv in call.levels}
    return {
        "time": iso_from_utc(call.as_of),
        "symbol": call.symbol,
        "horizon": horizon_name(call.horizon),
        "price": call.price,
        "bias": row.bias_label,
        "bias_score": round(row.bias_score, 4),
        "setup": row.setup,
        "samples": row.samples,
        "edge": row.edge,
        "probability_up": call.probability,
        "base_rate": call.base_rate,
        "range_low": call.low_price,
        "range_high": call.high_price,
        "momentum": call.momentum,
        "support": levels.get("support"),
        "resistance": levels.get("resistance"),
        "invalidation": levels.get("invalidation"),
        "price_after": out.price if out else None,
        "change_pct": out.change_pct if out else None,
        "up": out.up if out else None,
        "in_range": out.in_range if out else None,
        "levels_touched": "|".join(out.touched) if out else None,
        "first_level": out.first_level if out else None,
    }


def summary_dict(summary: HorizonSummary) -> dict[str, Any]:
    """A horizon's scores with rates and intervals."""
    out: dict[str, Any] = plain(summary)
    out["horizon"] = horizon_name(summary.horizon)
    for key, value in list(out.items()):
        obj = getattr(summary, key)
        if hasattr(obj, "interval"):
            value["rate"], value["interval"] = obj.rate, obj.interval
    if summary.brier is not None:
        out["brier"]["skill"] = summary.brier.skill
    return out


def backtest_json(bt: Backtest) -> dict[str, Any]:
    """The summary and every row."""
    return {
        "symbol": bt.symbol,
        "from": iso_from_utc(bt.start),
        "to": iso_from_utc(bt.end),
        "every": horizon_name(bt.every),
        "summary": [summary_dict(h) for h in bt.horizons],
        "rows": [row_dict(r) for r in bt.rows],
    }


def backtest_csv(bt: Backtest) -> str:
    """One CSV line per call, header first."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in bt.rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row_dict(row).items()})
    return buf.getvalue()
