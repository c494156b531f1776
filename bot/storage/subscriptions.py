"""SQL for digest subscriptions: chats and their timezone, subscriptions, the delivery log and
each chat's digest memory (headlines and key figures). Reached as ``Storage.subscriptions``.

Delivery statuses: ``pending`` (recorded before sending), ``sent``, ``failed`` (Telegram refused
for good), ``skipped`` (missed while down, past the catch-up grace), ``abandoned`` (still pending
after the one re-send a restart allows).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.errors import StorageError
from bot.storage.digest_records import DigestMemory, DigestMetrics
from bot.storage.engine import Connection
from bot.storage.faults import cause, retry_write, write, write_many
from bot.storage.timestamps import from_iso, to_iso

DeliveryStatus = Literal["pending", "sent", "failed", "skipped", "abandoned"]
HEADLINE_MEMORY = 20


@dataclass(frozen=True, slots=True)
class Subscription:
    """A chat's (or forum topic's) standing order for digests of ``symbols``."""

    id: int
    chat_id: int
    thread_id: int | None
    symbols: tuple[str, ...]
    schedule: str
    timezone: str
    created_at: datetime
    paused_reason: str | None = None
    #: the Telegram update that created it (``None`` for older rows)
    update_id: int | None = None

    @property
    def paused(self) -> bool:
        """Whether deliveries are on hold (by /pause, or because the bot was removed)."""
        return self.paused_reason is not None


@dataclass(frozen=True, slots=True)
class PendingDelivery:
    """A delivery recorded as pending and never settled (the process died mid-send)."""

    subscription_id: int
    slot: datetime
    attempts: int


_SUBSCRIPTION_COLUMNS = (
    "s.id, s.chat_id, s.thread_id, s.symbols, s.schedule, COALESCE(c.timezone, ?), "
    "s.created_at, s.paused_reason, s.update_id "
    "FROM subscriptions s LEFT JOIN chats c USING (chat_id)"
)


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=int(row[0]), chat_id=int(row[1]),
        thread_id=None if row[2] is None else int(row[2]),
        symbols=tuple(str(row[3]).split(",")), schedule=str(row[4]), timezone=str(row[5]),
        created_at=from_iso(row[6]), paused_reason=None if row[7] is None else str(row[7]),
        update_id=None if row[8] is None else int(row[8]),
    )


Statement = tuple[str, Sequence[Any]]


def record_statements(subscription_ids: Sequence[int], chat_id: int, slot: datetime,
                      status: DeliveryStatus, detail: str | None = None) -> list[Statement]:
    """SQL setting the status of each (subscription, slot); ``pending`` counts an attempt."""
    bump = 1 if status == "pending" else 0
    now = to_iso(datetime.now(UTC))
    return [
        ("INSERT INTO deliveries (subscription_id, slot, chat_id, status, attempts, detail, "
         "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subscription_id, slot) "
         "DO UPDATE SET status = excluded.status, chat_id = excluded.chat_id, "
         "attempts = deliveries.attempts + ?, detail = excluded.detail, "
         "updated_at = excluded.updated_at",
         (sub_id, to_iso(slot), chat_id, status, bump, detail, now, bump))
        for sub_id in subscription_ids
    ]


def memory_statement(memory: DigestMemory) -> Statement:
    """SQL storing what a chat was sent (headline and figures)."""
    m = memory.metrics
    return (
        "INSERT INTO digest_memory (chat_id, symbol, slot, headline, price, "
        "open_interest_usd, long_short_ratio, funding_rate, bias_score, bias_label, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (memory.chat_id, memory.symbol, to_iso(memory.slot), memory.headline, m.price,
         m.open_interest_usd, m.long_short_ratio, m.funding_rate, m.bias_score,
         m.bias_label, to_iso(datetime.now(UTC))),
    )


class SubscriptionStore:
    """Queries on the subscription tables over the bot's open connection."""

    def __init__(self, conn: Connection, default_timezone: str = "UTC") -> None:
        self._conn = conn
        self.default_timezone = default_timezone

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await write(self._conn, "subscription storage", sql, params)

    async def _write_many(self, statements: Iterable[Statement]) -> None:
        await write_many(self._conn, "subscription storage", list(statements))

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            async with self._conn.execute(sql, params) as cur:
                return list(await cur.fetchall())
        except sqlite3.Error as e:
            raise StorageError(f"subscription storage: {cause(e)}") from e

    # -- chats -----------------------------------------------------------------------

    async def ensure_chat(self, chat_id: int, kind: str) -> None:
        """Know ``chat_id`` (its type: private, group, supergroup, channel)."""
        await self._write(
            "INSERT INTO chats (chat_id, kind, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET kind = excluded.kind",
            (chat_id, kind, to_iso(datetime.now(UTC))),
        )

    async def set_timezone(self, chat_id: int, kind: str, timezone: str) -> None:
        """Store the chat's IANA timezone."""
        await self._write(
            "INSERT INTO chats (chat_id, kind, timezone, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (chat_id) DO UPDATE SET timezone = excluded.timezone, "
            "updated_at = excluded.updated_at",
            (chat_id, kind, timezone, to_iso(datetime.now(UTC))),
        )

    async def timezone(self, chat_id: int) -> str:
        """The chat's timezone, or the default when it never set one."""
        rows = await self._rows("SELECT timezone FROM chats WHERE chat_id = ?", (chat_id,))
        return str(rows[0][0]) if rows and rows[0][0] is not None else self.default_timezone

    async def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Move everything of ``old_id`` to ``new_id`` (a group became a supergroup)."""
        await self._write_many([
            ("INSERT OR IGNORE INTO chats (chat_id, kind, timezone, updated_at) "
             "SELECT ?, 'supergroup', timezone, ? FROM chats WHERE chat_id = ?",
             (new_id, to_iso(datetime.now(UTC)), old_id)),
            ("DELETE FROM chats WHERE chat_id = ?", (old_id,)),
            ("UPDATE subscriptions SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)),
            ("UPDATE deliveries SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)),
            ("UPDATE digest_memory SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)),
            ("UPDATE digest_outbox SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)),
        ])

    # -- subscriptions ---------------------------------------------------------------

    async def add(self, chat_id: int, thread_id: int | None, symbols: Sequence[str],
                  schedule: str, *, created_at: datetime | None = None,
                  update_id: int | None = None) -> int:
        """Store a subscription (``update_id``: the update asking for it); its id."""
        async def attempt() -> int:
            cur = await self._conn.execute(
                "INSERT INTO subscriptions (chat_id, thread_id, symbols, schedule, created_at, "
                "update_id) VALUES (?, ?, ?, ?, ?, ?)",
                (chat_id, thread_id, ",".join(symbols), schedule,
                 to_iso(created_at or datetime.now(UTC)), update_id),
            )
            await self._conn.commit()
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

        return await retry_write(self._conn, "cannot store subscription", attempt)

    async def get(self, subscription_id: int) -> Subscription | None:
        """One subscription by id."""
        rows = await self._rows(f"SELECT {_SUBSCRIPTION_COLUMNS} WHERE s.id = ?",
                                (self.default_timezone, subscription_id))
        return _subscription(rows[0]) if rows else None

    async def of_chat(self, chat_id: int) -> tuple[Subscription, ...]:
        """The chat's subscriptions (paused ones included), oldest first."""
        rows = await self._rows(f"SELECT {_SUBSCRIPTION_COLUMNS} WHERE s.chat_id = ? "
                                "ORDER BY s.id", (self.default_timezone, chat_id))
        return tuple(_subscription(r) for r in rows)

    async def active(self) -> tuple[Subscription, ...]:
        """Every subscription not paused."""
        rows = await self._rows(f"SELECT {_SUBSCRIPTION_COLUMNS} WHERE s.paused_reason IS NULL "
                                "ORDER BY s.id", (self.default_timezone,))
        return tuple(_subscription(r) for r in rows)

    async def active_for(self, schedule: str, timezone: str) -> tuple[Subscription, ...]:
        """Active subscriptions served by the job of (schedule, timezone)."""
        rows = await self._rows(
            f"SELECT {_SUBSCRIPTION_COLUMNS} WHERE s.paused_reason IS NULL AND s.schedule = ? "
            "AND COALESCE(c.timezone, ?) = ? ORDER BY s.id",
            (self.default_timezone, schedule, self.default_timezone, timezone),
        )
        return tuple(_subscription(r) for r in rows)

    async def count(self, chat_id: int) -> int:
        """How many subscriptions the chat has."""
        rows = await self._rows("SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?",
                                (chat_id,))
        return int(rows[0][0])

    async def remove(self, chat_id: int, subscription_id: int | None = None) -> int:
        """Delete one of the chat's subscriptions (or all when ``subscription_id`` is None)."""
        if subscription_id is None:
            return await self._write("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
        return await self._write("DELETE FROM subscriptions WHERE chat_id = ? AND id = ?",
                                 (chat_id, subscription_id))

    async def pause_chat(self, chat_id: int, reason: str | None) -> int:
        """Pause (``reason`` given) or resume (None) every subscription of the chat."""
        return await self._write("UPDATE subscriptions SET paused_reason = ? WHERE chat_id = ?",
                                 (reason, chat_id))

    async def pause(self, subscription_id: int, reason: str) -> None:
        """Pause one subscription, keeping it."""
        await self._write("UPDATE subscriptions SET paused_reason = ? WHERE id = ?",
                          (reason, subscription_id))

    # -- delivery log ----------------------------------------------------------------

    async def record(self, subscription_ids: Sequence[int], chat_id: int, slot: datetime,
                     status: DeliveryStatus, detail: str | None = None) -> None:
        """Set the status of (subscription, slot); ``pending`` also counts an attempt."""
        await self._write_many(record_statements(subscription_ids, chat_id, slot, status,
                                                 detail))

    async def status(self, subscription_id: int, slot: datetime) -> DeliveryStatus | None:
        """The recorded status of (subscription, slot), if any."""
        rows = await self._rows(
            "SELECT status FROM deliveries WHERE subscription_id = ? AND slot = ?",
            (subscription_id, to_iso(slot)),
        )
        return rows[0][0] if rows else None

    async def settled(self, slot: datetime, subscription_ids: Sequence[int]) -> set[int]:
        """Which of ``subscription_ids`` already have a non-pending record for ``slot``."""
        if not subscription_ids:
            return set()
        marks = ",".join("?" * len(subscription_ids))
        rows = await self._rows(
            f"SELECT subscription_id FROM deliveries WHERE slot = ? AND status != 'pending' "
            f"AND subscription_id IN ({marks})",
            (to_iso(slot), *subscription_ids),
        )
        return {int(r[0]) for r in rows}

    async def pending(self) -> tuple[PendingDelivery, ...]:
        """Deliveries left pending (oldest slot first)."""
        rows = await self._rows("SELECT subscription_id, slot, attempts FROM deliveries "
                                "WHERE status = 'pending' ORDER BY slot, subscription_id")
        return tuple(PendingDelivery(int(r[0]), from_iso(r[1]), int(r[2])) for r in rows)

    async def last_slot(self, subscription_id: int) -> datetime | None:
        """The newest slot in the delivery log for the subscription, whatever its status."""
        rows = await self._rows("SELECT MAX(slot) FROM deliveries WHERE subscription_id = ?",
                                (subscription_id,))
        return from_iso(rows[0][0]) if rows and rows[0][0] is not None else None

    async def prune(self, before: datetime) -> int:
        """Drop delivery rows, staged messages (of abandoned deliveries) and digest memory
        older than ``before``; how many rows went.

        Catch-up never looks back further than its grace, far shorter than any retention.
        """
        cutoff = to_iso(before)
        deliveries = await self._write("DELETE FROM deliveries WHERE slot < ?", (cutoff,))
        staged = await self._write("DELETE FROM digest_outbox WHERE slot < ?", (cutoff,))
        memory = await self._write("DELETE FROM digest_memory WHERE created_at < ?", (cutoff,))
        return deliveries + staged + memory

    async def delivery_counts(self) -> dict[str, int]:
        """Delivery log rows by status."""
        rows = await self._rows("SELECT status, COUNT(*) FROM deliveries GROUP BY status")
        return {str(r[0]): int(r[1]) for r in rows}

    # -- digest memory ---------------------------------------------------------------

    async def remember(self, memory: DigestMemory) -> None:
        """Store what a chat was sent (headline and figures)."""
        await self._write(*memory_statement(memory))

    async def last_digest(self, chat_id: int, symbol: str) -> DigestMemory | None:
        """The latest digest of ``symbol`` the chat received."""
        rows = await self._rows(
            "SELECT chat_id, symbol, slot, headline, price, open_interest_usd, "
            "long_short_ratio, funding_rate, bias_score, bias_label FROM digest_memory "
            "WHERE chat_id = ? AND symbol = ? ORDER BY id DESC LIMIT 1",
            (chat_id, symbol),
        )
        if not rows:
            return None
        r = rows[0]
        return DigestMemory(int(r[0]), str(r[1]), from_iso(r[2]), str(r[3]),
                            DigestMetrics(r[4], r[5], r[6], r[7], r[8], r[9]))

    async def recent_headlines(self, chat_id: int, limit: int = HEADLINE_MEMORY
                               ) -> tuple[str, ...]:
        """The chat's last ``limit`` digest headlines, oldest first."""
        rows = await self._rows(
            "SELECT headline FROM digest_memory WHERE chat_id = ? ORDER BY id DESC LIMIT ?",
            (chat_id, limit),
        )
        return tuple(str(r[0]) for r in reversed(rows))
