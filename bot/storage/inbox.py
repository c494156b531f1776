"""The inbox: every received update, stored before it is acknowledged to Telegram.

Statuses: ``pending`` (stored, reply not yet sent), ``done`` (handled), ``dropped`` (gave up
after too many attempts or too old). Rows keep the update's JSON so a restart can handle it
again; handled rows stay a while so an update Telegram delivers twice is recognised.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.errors import StorageError
from bot.storage.engine import Connection
from bot.storage.faults import cause, write
from bot.storage.timestamps import from_iso, to_iso

InboxStatus = Literal["pending", "done", "dropped"]


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """A stored update not yet handled: its JSON, how often handling started, when it came."""

    update_id: int
    chat_id: int | None
    payload: dict[str, Any]
    attempts: int
    received_at: datetime


class Inbox:
    """Queries on the ``inbox`` table over the bot's open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _write(self, what: str, sql: str, params: tuple[Any, ...]) -> int:
        return await write(self._conn, what, sql, params)

    async def receive(self, update_id: int, chat_id: int | None, payload: dict[str, Any],
                      now: datetime | None = None) -> bool:
        """Store a received update as pending; ``False`` when this very update is known.

        A known id with a different body is a new update (Telegram picks ids at random after
        a week without updates) and replaces the old row.
        """
        when = to_iso(now or datetime.now(UTC))
        added = await self._write(
            "cannot store a received update",
            "INSERT INTO inbox (update_id, chat_id, payload, status, attempts, received_at, "
            "updated_at) VALUES (?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (update_id) DO UPDATE "
            "SET chat_id = excluded.chat_id, payload = excluded.payload, status = 'pending', "
            "attempts = 0, received_at = excluded.received_at, updated_at = excluded.updated_at "
            "WHERE inbox.payload != excluded.payload",
            (update_id, chat_id, json.dumps(payload, separators=(",", ":")), when, when),
        )
        return added == 1

    async def settle(self, update_id: int, status: InboxStatus) -> None:
        """Mark the update ``done`` (replied) or ``dropped`` (given up)."""
        await self._write("cannot settle a received update",
                          "UPDATE inbox SET status = ?, updated_at = ? WHERE update_id = ?",
                          (status, to_iso(datetime.now(UTC)), update_id))

    async def attempt(self, update_id: int) -> None:
        """Count one more attempt at handling the update (before a re-dispatch)."""
        await self._write("cannot count an attempt",
                          "UPDATE inbox SET attempts = attempts + 1, updated_at = ? "
                          "WHERE update_id = ?", (to_iso(datetime.now(UTC)), update_id))

    async def pending(self) -> tuple[InboxEntry, ...]:
        """Updates stored but never handled, oldest first."""
        try:
            async with self._conn.execute(
                "SELECT update_id, chat_id, payload, attempts, received_at FROM inbox "
                "WHERE status = 'pending' ORDER BY update_id"
            ) as cur:
                rows = await cur.fetchall()
        except sqlite3.Error as e:
            raise StorageError(f"cannot read the inbox: {cause(e)}") from e
        return tuple(InboxEntry(int(r[0]), None if r[1] is None else int(r[1]), json.loads(r[2]),
                                int(r[3]), from_iso(r[4])) for r in rows)

    async def status(self, update_id: int) -> InboxStatus | None:
        """The stored status of an update (``None`` when never received)."""
        async with self._conn.execute("SELECT status FROM inbox WHERE update_id = ?",
                                      (update_id,)) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]

    async def prune(self, before: datetime) -> int:
        """Forget settled updates last touched before ``before``; how many went."""
        return await self._write("cannot prune the inbox",
                                 "DELETE FROM inbox WHERE status != 'pending' AND updated_at < ?",
                                 (to_iso(before),))
