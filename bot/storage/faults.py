"""Storage faults in words an operator can act on, and bounded retries of writes.

SQLite reports a full disk, a lock held by another process or a read-only file as
``sqlite3.OperationalError`` with a message; PostgreSQL failures (lost connection,
serialization failure, deadlock) come as its subclass ``bot.storage.engine.PostgresError``.
``cause`` turns that (or an ``OSError``) into a short cause, and ``retry_write`` retries
the temporary ones a bounded number of times before raising ``StorageError``.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from bot.errors import StorageError
from bot.storage.engine import Connection

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Attempts of one write before it fails (the first included).
WRITE_ATTEMPTS = 3
#: Pause before the second attempt; doubled before each further one.
WRITE_BACKOFF_SECONDS = 0.05
#: How long SQLite itself waits for another writer's lock, per attempt.
BUSY_TIMEOUT_MS = 1000

_CAUSES = (
    ("locked", "the database is locked by another process"),
    ("busy", "the database is locked by another process"),
    ("disk is full", "the disk is full"),
    ("readonly", "the database file is read-only"),
    ("read-only", "the database file is read-only"),
    ("disk i/o error", "a disk I/O error"),
    ("unable to open", "the file cannot be opened or created (check the folder's permissions)"),
    ("not a database", "the file is not a SQLite database"),
    ("malformed", "the database file is corrupt"),
    ("cannot connect", "the PostgreSQL server cannot be reached"),
    ("connection is closed", "the connection to the PostgreSQL server was lost"),
    ("server closed the connection", "the connection to the PostgreSQL server was lost"),
    ("could not serialize", "a concurrent write got in the way"),
    ("deadlock detected", "a concurrent write got in the way"),
)
_TEMPORARY = ("locked", "busy", "disk is full", "disk i/o error", "could not serialize",
              "deadlock detected", "connection is closed", "server closed the connection",
              "cannot connect")


def cause(error: BaseException) -> str:
    """A short, operator-facing cause of a storage failure."""
    if isinstance(error, OSError) and not isinstance(error, sqlite3.Error):
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"permission denied ({error.strerror})" if error.strerror else \
                "permission denied"
        if error.errno == errno.ENOSPC:
            return "the disk is full"
        return error.strerror or str(error)
    text = str(error).lower()
    for needle, words in _CAUSES:
        if needle in text:
            return words
    return str(error)


def is_temporary(error: sqlite3.Error) -> bool:
    """Whether retrying may help (a lock, a full disk that may be freed, an I/O hiccup)."""
    text = str(error).lower()
    return any(needle in text for needle in _TEMPORARY)


async def retry_write(conn: Connection, what: str,
                      action: Callable[[], Awaitable[T]], *,
                      attempts: int = WRITE_ATTEMPTS) -> T:
    """Run ``action`` (statements and commit); on a temporary error roll back and retry.

    After ``attempts`` (or at once for a permanent error) raise ``StorageError`` naming
    ``what`` and the cause.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await action()
        except sqlite3.Error as e:
            try:
                await conn.rollback()
            except sqlite3.Error as rollback_error:
                log.debug("rollback after a failed write failed too: %s", rollback_error)
            if attempt >= attempts or not is_temporary(e):
                raise StorageError(f"{what}: {cause(e)}") from e
            log.warning("%s failed (%s); retrying (%d of %d)", what, cause(e), attempt + 1,
                        attempts)
            await asyncio.sleep(WRITE_BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise AssertionError("unreachable: attempts must be at least 1")


async def write_many(conn: Connection, what: str,
                     statements: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Statements in one transaction through ``retry_write`` (all or none)."""
    async def attempt() -> None:
        for sql, params in statements:
            await conn.execute(sql, params)
        await conn.commit()

    await retry_write(conn, what, attempt)


async def write(conn: Connection, what: str, sql: str,
                params: Sequence[Any] = ()) -> int:
    """One statement and its commit through ``retry_write``; the number of rows changed."""
    async def attempt() -> int:
        cur = await conn.execute(sql, params)
        await conn.commit()
        return int(cur.rowcount or 0)

    return await retry_write(conn, what, attempt)
