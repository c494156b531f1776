"""Flood counters shared by several bot processes on one database.

Each process publishes, about once a second, how many requests each user and chat made to it
within the flood window (``publish`` replaces its own rows), and reads what the other live
processes published (``others``). A process then judges a user by the requests all processes
saw: the tolerance is what reaches other processes between two publications (about a second).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.storage.engine import Connection
from bot.storage.faults import write, write_many
from bot.storage.timestamps import to_iso

#: (scope, key): scope ``user`` or ``chat``, key the Telegram id.
CountKey = tuple[str, int]


class FloodCounts:
    """Queries on ``flood_counts`` over the bot's open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def publish(self, process: str, counts: Mapping[CountKey, int], now: datetime
                      ) -> None:
        """Replace what ``process`` published with ``counts`` (zero counts left out)."""
        when = to_iso(now)
        statements: list[tuple[str, tuple[object, ...]]] = [
            ("DELETE FROM flood_counts WHERE process = ?", (process,))]
        statements += [("INSERT INTO flood_counts (scope, key, process, count, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)", (scope, key, process, count, when))
                       for (scope, key), count in counts.items() if count > 0]
        await write_many(self._conn, "cannot share flood counters", statements)

    async def others(self, process: str, since: datetime) -> dict[CountKey, int]:
        """Counts the other processes published since ``since``, summed per (scope, key)."""
        async with self._conn.execute(
            "SELECT scope, key, SUM(count) FROM flood_counts WHERE process != ? "
            "AND updated_at >= ? GROUP BY scope, key", (process, to_iso(since)),
        ) as cur:
            rows = await cur.fetchall()
        return {(str(r[0]), int(r[1])): int(r[2]) for r in rows}

    async def prune(self, before: datetime) -> int:
        """Forget rows of processes silent since ``before`` (they stopped or died)."""
        return await write(self._conn, "cannot prune flood counters",
                           "DELETE FROM flood_counts WHERE updated_at < ?", (to_iso(before),))
