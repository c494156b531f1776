"""SQL for the track record: every published call once per (symbol, as-of, horizon), and its
graded outcome. Reached as ``Storage.calls``.

A call and its outcome are stored as JSON (never pickle), with the post's state at the time
(bias, setup, edge, view) beside it, so the rows rebuild as :class:`bot.evidence.model.Row`
and are scored by the backtest's own ``summarise``. Statuses: ``pending`` (horizon not yet
graded), ``graded``, ``ungradable`` (the candles no longer reach back to the call).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import aiosqlite

from bot.errors import StorageError
from bot.evidence.model import Call, NamedLevel, Outcome, Row
from bot.storage.timestamps import from_iso, to_iso

CallStatus = Literal["pending", "graded", "ungradable"]
_HOUR = timedelta(hours=1)
_COLUMNS = "id, call, context, status, outcome FROM calls"


@dataclass(frozen=True, slots=True)
class StoredCall:
    """A recorded call: its row (outcome set once graded) and status."""

    id: int
    row: Row
    status: CallStatus

    @property
    def call(self) -> Call:
        """The call itself."""
        return self.row.call


def _call_json(call: Call) -> str:
    return json.dumps({
        "symbol": call.symbol, "as_of": to_iso(call.as_of), "price": call.price,
        "horizon_hours": round(call.horizon / _HOUR), "probability": call.probability,
        "base_rate": call.base_rate, "low_price": call.low_price, "high_price": call.high_price,
        "bias": call.bias, "momentum": call.momentum,
        "levels": [[lv.role, lv.price] for lv in call.levels],
    })


def _call(text: str) -> Call:
    d = json.loads(text)
    return Call(
        symbol=d["symbol"], as_of=from_iso(d["as_of"]), price=float(d["price"]),
        horizon=timedelta(hours=int(d["horizon_hours"])), probability=d["probability"],
        base_rate=d["base_rate"], low_price=d["low_price"], high_price=d["high_price"],
        bias=d["bias"], momentum=d["momentum"],
        levels=tuple(NamedLevel(role, float(price)) for role, price in d["levels"]),
    )


def _outcome_json(outcome: Outcome) -> str:
    return json.dumps({
        "price": outcome.price, "change_pct": outcome.change_pct, "up": outcome.up,
        "max_up_pct": outcome.max_up_pct, "max_down_pct": outcome.max_down_pct,
        "in_range": outcome.in_range, "touched": list(outcome.touched),
        "first_level": outcome.first_level,
    })


def _outcome(text: str | None) -> Outcome | None:
    if text is None:
        return None
    d = json.loads(text)
    return Outcome(
        price=float(d["price"]), change_pct=float(d["change_pct"]), up=bool(d["up"]),
        max_up_pct=float(d["max_up_pct"]), max_down_pct=float(d["max_down_pct"]),
        in_range=d["in_range"], touched=tuple(d["touched"]), first_level=d["first_level"],
    )


def _context_json(row: Row) -> str:
    return json.dumps({
        "bias_score": row.bias_score, "bias_label": row.bias_label, "setup": row.setup,
        "samples": row.samples, "edge": row.edge, "view": row.view,
    })


def _stored(db_row: Any) -> StoredCall:
    context = json.loads(db_row[2])
    row = Row(
        call=_call(db_row[1]), outcome=_outcome(db_row[4]),
        bias_score=float(context["bias_score"]), bias_label=str(context["bias_label"]),
        setup=context["setup"], samples=context["samples"], edge=context["edge"],
        view=context["view"],
    )
    return StoredCall(int(db_row[0]), row, db_row[3])


def _symbol_filter(symbol: str | None) -> tuple[str, tuple[Any, ...]]:
    return ("", ()) if symbol is None else (" AND symbol = ?", (symbol,))


class CallStore:
    """Queries on the ``calls`` table over the bot's open connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def _select(self, sql: str, params: Sequence[Any]) -> list[Any]:
        try:
            async with self._conn.execute(sql, params) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as e:
            raise StorageError(f"cannot read calls: {e}") from e

    async def record(self, rows: Sequence[Row], now: datetime | None = None) -> int:
        """Store each row's call once per (symbol, as-of, horizon); return how many were new."""
        created = to_iso(now or datetime.now(UTC))
        added = 0
        try:
            for row in rows:
                call = row.call
                cur = await self._conn.execute(
                    "INSERT OR IGNORE INTO calls (symbol, as_of, horizon_hours, due, price, call, "
                    "context, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (call.symbol, to_iso(call.as_of), round(call.horizon / _HOUR),
                     to_iso(call.due), call.price, _call_json(call), _context_json(row),
                     created),
                )
                added += int(cur.rowcount or 0)
            await self._conn.commit()
        except sqlite3.Error as e:
            raise StorageError(f"cannot record calls: {e}") from e
        return added

    async def pending_symbols(self) -> tuple[str, ...]:
        """Symbols with calls not yet graded."""
        rows = await self._select(
            "SELECT DISTINCT symbol FROM calls WHERE status = 'pending' ORDER BY symbol", ())
        return tuple(str(r[0]) for r in rows)

    async def due(self, symbol: str, by: datetime) -> tuple[StoredCall, ...]:
        """Pending calls of ``symbol`` whose horizon ended at or before ``by``, oldest first."""
        rows = await self._select(
            f"SELECT {_COLUMNS} WHERE status = 'pending' AND symbol = ? AND due <= ? "
            "ORDER BY due, id", (symbol, to_iso(by)))
        return tuple(_stored(r) for r in rows)

    async def settle(self, call_id: int, outcome: Outcome | None,
                     now: datetime | None = None) -> None:
        """Store the call's outcome (``None``: it can no longer be graded)."""
        status: CallStatus = "graded" if outcome is not None else "ungradable"
        try:
            await self._conn.execute(
                "UPDATE calls SET status = ?, outcome = ?, graded_at = ? WHERE id = ?",
                (status, None if outcome is None else _outcome_json(outcome),
                 to_iso(now or datetime.now(UTC)), call_id),
            )
            await self._conn.commit()
        except sqlite3.Error as e:
            raise StorageError(f"cannot store an outcome: {e}") from e

    async def graded(self, symbol: str | None = None) -> tuple[Row, ...]:
        """Every graded call (of ``symbol``, or all), oldest first."""
        where, params = _symbol_filter(symbol)
        rows = await self._select(
            f"SELECT {_COLUMNS} WHERE status = 'graded'{where} ORDER BY as_of, horizon_hours",
            params)
        return tuple(_stored(r).row for r in rows)

    async def recent(self, symbol: str | None = None, limit: int = 5,
                     status: CallStatus = "graded") -> tuple[StoredCall, ...]:
        """The ``limit`` latest calls with ``status``, newest first."""
        where, params = _symbol_filter(symbol)
        rows = await self._select(
            f"SELECT {_COLUMNS} WHERE status = ?{where} ORDER BY due DESC, id DESC LIMIT ?",
            (status, *params, limit))
        return tuple(_stored(r) for r in rows)

    async def next_due(self, symbol: str | None = None) -> datetime | None:
        """When the earliest pending call comes due (``None``: nothing pending)."""
        where, params = _symbol_filter(symbol)
        rows = await self._select(
            f"SELECT MIN(due) FROM calls WHERE status = 'pending'{where}", params)
        return from_iso(rows[0][0]) if rows and rows[0][0] is not None else None

    async def counts(self, symbol: str | None = None) -> dict[CallStatus, int]:
        """How many calls have each status."""
        where, params = _symbol_filter(symbol)
        rows = await self._select(
            f"SELECT status, COUNT(*) FROM calls WHERE 1 = 1{where} GROUP BY status", params)
        found: dict[CallStatus, int] = {"pending": 0, "graded": 0, "ungradable": 0}
        for status, count in rows:
            found[status] = int(count)
        return found
