"""Which bot process runs the scheduled jobs: one leader at a time, elected through the database.

SQLite means one process: it is always the leader (:class:`SoleLeader`). On PostgreSQL each
process runs :class:`AdvisoryLeader`: a dedicated autocommit connection tries the session
advisory lock ``LEASE_KEY`` every ``interval`` seconds; whoever holds it leads, and its
heartbeat (``SELECT`` on that connection) checks it still does. The lock dies with the
leader's connection, so a killed or crashed leader is replaced within one ``interval`` (the
server sees the socket close at once); a leader whose host vanishes without closing its
socket is dropped by TCP keepalives (about 11 s) and then replaced within one ``interval``;
it has stepped down by itself before that (its heartbeat times out after 3 s), and a digest
round stops handing out deliveries once its process no longer leads.
The leader writes its name in ``meta`` (``scheduler_leader``) so every process can name it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.storage.engine import connect_autocommit, redact

log = logging.getLogger(__name__)
#: The advisory lock that makes a process the scheduler leader (any fixed, unlikely number).
LEASE_KEY = 0x6D63_0002
#: Seconds between lease attempts (followers) and heartbeats (the leader).
LEASE_INTERVAL = 1.0
#: A heartbeat unanswered this long steps the leader down (the server keeps a silent
#: client's session, and so the lock, for its TCP keepalive time: about 11 s).
HEARTBEAT_TIMEOUT = 3.0
META_KEY = "scheduler_leader"
OnChange = Callable[[bool], Awaitable[None]]


def process_name() -> str:
    """This process as /status names it: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


class SoleLeader:
    """The only process (SQLite): always the leader."""

    engine = "sqlite"

    def __init__(self, name: str | None = None) -> None:
        self.name = name or process_name()
        self.is_leader = True
        self.since: datetime | None = datetime.now(UTC)

    async def start(self, on_change: OnChange) -> None:
        """Nothing to elect."""

    async def stop(self) -> None:
        """Nothing to release."""

    async def leader_name(self) -> str | None:
        """This process."""
        return self.name


class AdvisoryLeader:
    """One process of several (PostgreSQL): leads while it holds the advisory lock."""

    engine = "postgresql"

    def __init__(self, url: str, name: str | None = None,
                 interval: float = LEASE_INTERVAL) -> None:
        self.url = url
        self.name = name or process_name()
        self.interval = interval
        self.is_leader = False
        self.since: datetime | None = None
        self._conn: Any = None
        self._task: asyncio.Task[None] | None = None
        self._on_change: OnChange | None = None

    async def start(self, on_change: OnChange) -> None:
        """Try the lease now, then keep trying (or renewing) in the background."""
        self._on_change = on_change
        await self._tick()
        self._task = asyncio.create_task(self._loop(), name="scheduler-lease")

    async def stop(self) -> None:
        """Stop the lease loop and give the lease up (another process takes over at once)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._drop_connection()
        self.is_leader = False

    async def leader_name(self) -> str | None:
        """The leader's name as it wrote it (``None`` when no process leads or it is unknown)."""
        if self.is_leader:
            return self.name
        try:
            conn = await self._connection()
            cur = await conn.execute(
                "SELECT m.value FROM meta m WHERE m.key = %s AND EXISTS (SELECT 1 FROM "
                "pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objid = %s)",
                (META_KEY, LEASE_KEY))
            row = await cur.fetchone()
        except Exception as e:  # status only: say unknown rather than fail
            log.warning("cannot read the scheduler leader: %s", e)
            return None
        return None if row is None else str(json.loads(row[0]).get("name"))

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self._tick()

    async def _connection(self) -> Any:
        if self._conn is None or self._conn.closed:
            self._conn = await connect_autocommit(self.url)
        return self._conn

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    async def _tick(self) -> None:
        try:
            conn = await self._connection()
            if self.is_leader:  # the lock lives as long as this connection; a heartbeat that
                # hangs (host cut off) steps down long before the server drops the session
                await asyncio.wait_for(conn.execute("SELECT 1"), HEARTBEAT_TIMEOUT)
                return
            cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (LEASE_KEY,))
            row = await cur.fetchone()
            if not (row and row[0]):
                return
            self.since = datetime.now(UTC)
            await conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) "
                "DO UPDATE SET value = EXCLUDED.value",
                (META_KEY, json.dumps({"name": self.name, "since": self.since.isoformat()})))
        except Exception as e:  # the database is away: no lease, try again next tick
            log.warning("scheduler lease on %s failed: %s", redact(self.url), e)
            await self._drop_connection()
            await self._change(False)
            return
        log.warning("this process (%s) is now the scheduler leader", self.name)
        await self._change(True)

    async def _change(self, leading: bool) -> None:
        if leading == self.is_leader:
            return
        self.is_leader = leading
        if not leading:
            log.warning("this process (%s) is no longer the scheduler leader", self.name)
        if self._on_change is not None:
            try:
                await self._on_change(leading)
            except Exception:
                log.exception("reacting to a change of scheduler leader failed")


Leadership = SoleLeader | AdvisoryLeader


def leadership_for(url: str | None, name: str | None = None,
                   interval: float = LEASE_INTERVAL) -> Leadership:
    """``AdvisoryLeader`` for a PostgreSQL URL, else ``SoleLeader``."""
    if url and url.startswith(("postgresql://", "postgres://")):
        return AdvisoryLeader(url, name, interval)
    return SoleLeader(name)
