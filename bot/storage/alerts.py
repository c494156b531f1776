"""SQL for price alerts and the messages that announce them. Reached as ``Storage.alerts``.

An alert row is ``active`` (``armed`` 1: waiting for its level; 0: fired, waiting to re-arm),
``fired`` (a one-shot alert, spent), ``expired`` or deleted. :meth:`AlertStore.fire` changes
the fired alerts' state *and* stages the announcing message (``alert_outbox``, ``pending``)
in one transaction, guarded by ``armed = 1``: an alert fires at most once per arming, even if
two rounds race or the process dies between staging and sending. A restart sends what is
still ``pending`` (the one message on the wire at the instant of a crash may arrive twice:
Telegram offers no idempotency key).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.engine import Connection
from bot.storage.faults import retry_write, write, write_many
from bot.storage.timestamps import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One stored alert: its rule's fields and its state."""

    id: int
    chat_id: int
    thread_id: int | None
    symbol: str
    kind: str
    level: float
    pct: float | None
    rearm_pct: float | None
    inferred: bool
    armed: bool
    status: str
    fires: int
    created_at: datetime
    expires_at: datetime | None
    checked_at: datetime
    fired_at: datetime | None = None
    fired_price: float | None = None


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to store (the rule's fields and where it goes)."""

    chat_id: int
    thread_id: int | None
    symbol: str
    kind: str
    level: float
    pct: float | None
    rearm_pct: float | None
    inferred: bool
    created_at: datetime
    expires_at: datetime | None
    update_id: int | None = None


@dataclass(frozen=True, slots=True)
class Firing:
    """One alert that fired: when and at what price."""

    alert_id: int
    at: datetime
    price: float


@dataclass(frozen=True, slots=True)
class StagedAlertMessage:
    """A staged alert message (``alert_outbox``); ``feed`` names the pushed feed of a feed
    message (no alert ids), ``None`` for price alerts."""

    id: int
    chat_id: int
    thread_id: int | None
    alert_ids: tuple[int, ...]
    text: str
    created_at: datetime
    feed: str | None = None


_COLUMNS = ("id, chat_id, thread_id, symbol, kind, level, pct, rearm_pct, inferred, armed, "
            "status, fires, created_at, expires_at, checked_at, fired_at, fired_price")


def _opt_time(value: Any) -> datetime | None:
    return None if value is None else from_iso(value)


def _record(row: Any) -> AlertRecord:
    return AlertRecord(
        id=int(row[0]), chat_id=int(row[1]), thread_id=None if row[2] is None else int(row[2]),
        symbol=str(row[3]), kind=str(row[4]), level=float(row[5]),
        pct=None if row[6] is None else float(row[6]),
        rearm_pct=None if row[7] is None else float(row[7]), inferred=bool(row[8]),
        armed=bool(row[9]), status=str(row[10]), fires=int(row[11]),
        created_at=from_iso(row[12]), expires_at=_opt_time(row[13]),
        checked_at=from_iso(row[14]), fired_at=_opt_time(row[15]),
        fired_price=None if row[16] is None else float(row[16]),
    )


class AlertStore:
    """Queries on ``alerts`` and ``alert_outbox`` over the bot's open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def add(self, alert: NewAlert) -> int:
        """Store ``alert`` (armed, checked at its creation); its id."""
        async def insert() -> int:
            cur = await self._conn.execute(
                "INSERT INTO alerts (chat_id, thread_id, symbol, kind, level, pct, rearm_pct, "
                "inferred, created_at, expires_at, checked_at, update_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (alert.chat_id, alert.thread_id, alert.symbol, alert.kind, alert.level,
                 alert.pct, alert.rearm_pct, int(alert.inferred), to_iso(alert.created_at),
                 None if alert.expires_at is None else to_iso(alert.expires_at),
                 to_iso(alert.created_at), alert.update_id))
            await self._conn.commit()
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

        return await retry_write(self._conn, "cannot store alert", insert)

    async def by_update(self, chat_id: int, update_id: int) -> AlertRecord | None:
        """The alert update ``update_id`` created (a redelivered update answers the same)."""
        rows = await self._rows(f"SELECT {_COLUMNS} FROM alerts WHERE chat_id = ? "
                                "AND update_id = ?", (chat_id, update_id))
        return _record(rows[0]) if rows else None

    async def of_chat(self, chat_id: int) -> list[AlertRecord]:
        """The chat's active alerts, oldest first."""
        rows = await self._rows(f"SELECT {_COLUMNS} FROM alerts WHERE chat_id = ? "
                                "AND status = 'active' ORDER BY id", (chat_id,))
        return [_record(r) for r in rows]

    async def get(self, alert_id: int) -> AlertRecord | None:
        """One alert, whatever its status."""
        rows = await self._rows(f"SELECT {_COLUMNS} FROM alerts WHERE id = ?", (alert_id,))
        return _record(rows[0]) if rows else None

    async def active(self) -> list[AlertRecord]:
        """Every active alert (armed or waiting to re-arm), by symbol."""
        rows = await self._rows(f"SELECT {_COLUMNS} FROM alerts WHERE status = 'active' "
                                "ORDER BY symbol, id")
        return [_record(r) for r in rows]

    async def count_active(self) -> int:
        """How many alerts are active, over every chat (for /status)."""
        rows = await self._rows("SELECT COUNT(*) FROM alerts WHERE status = 'active'")
        return int(rows[0][0]) if rows else 0

    async def remove(self, chat_id: int, alert_id: int | None = None) -> int:
        """Delete one active alert of the chat, or all of them; how many."""
        if alert_id is None:
            return await write(self._conn, "cannot delete alerts",
                               "DELETE FROM alerts WHERE chat_id = ? AND status = 'active'",
                               (chat_id,))
        return await write(self._conn, "cannot delete alert",
                           "DELETE FROM alerts WHERE chat_id = ? AND id = ? "
                           "AND status = 'active'", (chat_id, alert_id))

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """Alerts (and staged messages) follow a chat that moved (group → supergroup)."""
        await write_many(self._conn, "cannot move alerts", [
            ("UPDATE alert_outbox SET chat_id = ? WHERE chat_id = ?",
             (new_chat_id, old_chat_id))])
        return await write(self._conn, "cannot move alerts",
                           "UPDATE alerts SET chat_id = ? WHERE chat_id = ?",
                           (new_chat_id, old_chat_id))

    async def checked(self, alert_ids: Iterable[int], at: datetime) -> None:
        """Record that the alerts were checked up to ``at`` (one transaction)."""
        params = [(to_iso(at), i) for i in alert_ids]
        if not params:
            return

        async def update() -> None:
            await self._conn.executemany(
                "UPDATE alerts SET checked_at = ? WHERE id = ? AND status = 'active'", params)
            await self._conn.commit()

        await retry_write(self._conn, "cannot record alert checks", update)

    async def expire(self, alert_ids: Iterable[int]) -> None:
        """Mark the alerts expired."""
        await write_many(self._conn, "cannot expire alerts", [
            ("UPDATE alerts SET status = 'expired' WHERE id = ? AND status = 'active'", (i,))
            for i in alert_ids])

    async def rearm(self, alert_ids: Iterable[int], at: datetime) -> None:
        """Arm the fired alerts again (the price moved back by their margin)."""
        await write_many(self._conn, "cannot re-arm alerts", [
            ("UPDATE alerts SET armed = 1, checked_at = ? WHERE id = ? AND status = 'active'",
             (to_iso(at), i)) for i in alert_ids])

    async def fire(self, chat_id: int, thread_id: int | None, firings: Sequence[Firing],
                   text: str, now: datetime) -> StagedAlertMessage | None:
        """Spend (or disarm) the armed alerts among ``firings`` and stage ``text`` for the
        chat, in one transaction; ``None`` (nothing written) when none was still armed."""
        async def attempt() -> StagedAlertMessage | None:
            fired: list[int] = []
            for f in firings:
                cur = await self._conn.execute(
                    "UPDATE alerts SET armed = 0, fires = fires + 1, fired_at = ?, "
                    "fired_price = ?, checked_at = ?, status = CASE WHEN rearm_pct IS NULL "
                    "THEN 'fired' ELSE status END "
                    "WHERE id = ? AND armed = 1 AND status = 'active'",
                    (to_iso(f.at), f.price, to_iso(f.at), f.alert_id))
                if cur.rowcount:
                    fired.append(f.alert_id)
            if not fired:
                await self._conn.rollback()
                return None
            ids = ",".join(str(i) for i in fired)
            cur = await self._conn.execute(
                "INSERT INTO alert_outbox (chat_id, thread_id, alert_ids, text, created_at) "
                "VALUES (?, ?, ?, ?, ?)", (chat_id, thread_id, ids, text, to_iso(now)))
            await self._conn.commit()
            assert cur.lastrowid is not None
            return StagedAlertMessage(int(cur.lastrowid), chat_id, thread_id, tuple(fired),
                                      text, now)

        return await retry_write(self._conn, "cannot record fired alerts", attempt)

    async def pending(self) -> list[StagedAlertMessage]:
        """Staged alert messages not yet sent (a crash came between staging and sending)."""
        rows = await self._rows("SELECT id, chat_id, thread_id, alert_ids, text, created_at, "
                                "feed FROM alert_outbox WHERE status = 'pending' ORDER BY id")
        return [StagedAlertMessage(int(r[0]), int(r[1]), None if r[2] is None else int(r[2]),
                                   tuple(int(i) for i in str(r[3]).split(",") if i), str(r[4]),
                                   from_iso(r[5]), None if r[6] is None else str(r[6]))
                for r in rows]

    async def settle(self, message_id: int, now: datetime, failed: str | None = None) -> None:
        """Mark a staged message sent (or ``failed`` with why)."""
        await write(self._conn, "cannot settle alert message",
                    "UPDATE alert_outbox SET status = ?, detail = ?, sent_at = ? WHERE id = ?",
                    ("failed" if failed else "sent", failed, to_iso(now), message_id))

    async def messages_since(self, chat_id: int, since: datetime
                             ) -> tuple[int, datetime | None]:
        """How many price alert messages the chat was given since ``since``, and the last
        one's time (failed ones and feed messages not counted)."""
        rows = await self._rows(
            "SELECT COUNT(*), MAX(created_at) FROM alert_outbox WHERE chat_id = ? "
            "AND created_at >= ? AND status != 'failed' AND feed IS NULL",
            (chat_id, to_iso(since)))
        count, last = rows[0] if rows else (0, None)
        return int(count or 0), _opt_time(last)
