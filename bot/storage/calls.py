"""SQL for the track record: every published call once per (symbol, as-of, horizon), and its
graded outcome. Reached as ``Storage.calls``.

A call and its outcome are stored as JSON text (encoded by ``bot.evidence.records``, which
storage never imports), with the post's state at the time beside it. Statuses: ``pending``
(horizon not yet graded), ``graded``, ``ungradable`` (the candles no longer reach back).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.errors import StorageError
from bot.storage.engine import Connection
from bot.storage.timestamps import from_iso, to_iso

CallStatus = Literal["pending", "graded", "ungradable"]
_COLUMNS = "id, call, context, status, outcome FROM calls"


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call to store: the keys it is found by, then its call and context as JSON text."""

    symbol: str
    as_of: datetime
    horizon_hours: int
    due: datetime
    price: float
    call: str
    context: str


@dataclass(frozen=True, slots=True)
class StoredCallRecord:
    """A stored call as JSON texts (``outcome`` set once graded) with its status."""

    id: int
    call: str
    context: str
    status: CallStatus
    outcome: str | None


def _record(row: Any) -> StoredCallRecord:
    return StoredCallRecord(int(row[0]), str(row[1]), str(row[2]), row[3],
                            None if row[4] is None else str(row[4]))


def _symbol_filter(symbol: str | None) -> tuple[str, tuple[Any, ...]]:
    return ("", ()) if symbol is None else (" AND symbol = ?", (symbol,))


class CallStore:
    """Queries on the ``calls`` table over the bot's open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _select(self, sql: str, params: Sequence[Any]) -> list[Any]:
        try:
            async with self._conn.execute(sql, params) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as e:
            raise StorageError(f"cannot read calls: {e}") from e

    async def record(self, rows: Sequence[CallRecord], now: datetime | None = None) -> int:
        """Store each call once per (symbol, as-of, horizon); return how many were new."""
        created = to_iso(now or datetime.now(UTC))
        added = 0
        try:
            for call in rows:
                cur = await self._conn.execute(
                    "INSERT OR IGNORE INTO calls (symbol, as_of, horizon_hours, due, price, call, "
                    "context, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (call.symbol, to_iso(call.as_of), call.horizon_hours, to_iso(call.due),
                     call.price, call.call, call.context, created),
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

    async def due(self, symbol: str, by: datetime) -> tuple[StoredCallRecord, ...]:
        """Pending calls of ``symbol`` whose horizon ended at or before ``by``, oldest first."""
        rows = await self._select(
            f"SELECT {_COLUMNS} WHERE status = 'pending' AND symbol = ? AND due <= ? "
            "ORDER BY due, id", (symbol, to_iso(by)))
        return tuple(_record(r) for r in rows)

    async def settle(self, call_id: int, outcome: str | None,
                     now: datetime | None = None) -> None:
        """Store the call's outcome (``None``: it can no longer be graded)."""
        status: CallStatus = "graded" if outcome is not None else "ungradable"
        try:
            await self._conn.execute(
                "UPDATE calls SET status = ?, outcome = ?, graded_at = ? WHERE id = ?",
                (status, outcome,
                 to_iso(now or datetime.now(UTC)), call_id),
            )
            await self._conn.commit()
        except sqlite3.Error as e:
            raise StorageError(f"cannot store an outcome: {e}") from e

    async def graded(self, symbol: str | None = None) -> tuple[StoredCallRecord, ...]:
        """Every graded call (of ``symbol``, or all), oldest first."""
        where, params = _symbol_filter(symbol)
        rows = await self._select(
            f"SELECT {_COLUMNS} WHERE status = 'graded'{where} ORDER BY as_of, horizon_hours",
            params)
        return tuple(_record(r) for r in rows)

    async def recent(self, symbol: str | None = None, limit: int = 5,
                     status: CallStatus = "graded") -> tuple[StoredCallRecord, ...]:
        """The ``limit`` latest calls with ``status``, newest first."""
        where, params = _symbol_filter(symbol)
        rows = await self._select(
            f"SELECT {_COLUMNS} WHERE status = ?{where} ORDER BY due DESC, id DESC LIMIT ?",
            (status, *params, limit))
        return tuple(_record(r) for r in rows)

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
