"""The two database engines behind one connection shape: SQLite (aiosqlite) and PostgreSQL.

Stores speak plain SQL with ``?`` placeholders to a connection that looks like aiosqlite's
(``execute`` awaited or used with ``async with``, ``fetchone``/``fetchall``, ``rowcount``,
``lastrowid``, ``commit``/``rollback``). On SQLite that *is* aiosqlite. On PostgreSQL,
:class:`PgConnection` (psycopg 3, async) adapts only what the two engines need:

- ``?`` → ``%s`` outside quoted text, and every literal ``%`` doubled;
- ``INSERT OR IGNORE INTO`` → ``INSERT INTO … ON CONFLICT DO NOTHING``; ``INSERT OR
  REPLACE`` is refused (write ``ON CONFLICT (key) DO UPDATE``, which both engines run);
- DDL types: ``INTEGER PRIMARY KEY AUTOINCREMENT`` → ``BIGSERIAL``, ``INTEGER`` →
  ``BIGINT`` (Telegram ids are 64-bit), ``REAL`` → ``DOUBLE PRECISION``, ``BLOB`` →
  ``BYTEA``, ``TEXT`` → ``TEXT COLLATE "C"`` (stored ISO times compare byte-wise, as in SQLite);
- ``lastrowid`` of an INSERT into a table with a serial ``id`` (``RETURNING id`` added);
- Python ``bool`` parameters as 0/1, ``Decimal`` results (SUM) as int or float;
- errors raised as :class:`PostgresError`, a ``sqlite3.Error``, so the stores' handling and
  ``bot.storage.faults`` serve both engines.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import Generator, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeAlias

import aiosqlite

#: Engine names as /status and ``python -m bot migrate`` show them.
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_URL_PREFIXES = ("postgresql://", "postgres://")


class PostgresError(sqlite3.OperationalError):
    """A PostgreSQL failure, in the DB-API family the stores already handle."""


def is_postgres_url(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than a SQLite file."""
    return target.startswith(_URL_PREFIXES)


def redact(url: str) -> str:
    """``url`` without its password (for logs, errors and /status)."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


_QUOTED_OR_MARK = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\?|%")
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\b", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_DDL = re.compile(r"^\s*(CREATE\s+TABLE|ALTER\s+TABLE)\b", re.IGNORECASE)
#: a column's type: after "(", "," or ADD COLUMN and the column's name, or after TYPE
_COLUMN_TYPE = re.compile(
    r"((?:[(,]|\bADD\s+COLUMN|\bTYPE)\s*(?:\"?\w+\"?\s+)?)"
    r"(INTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT|INTEGER|REAL|BLOB|TEXT)\b", re.IGNORECASE)
_PG_TYPES = {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "BLOB": "BYTEA",
             "TEXT": 'TEXT COLLATE "C"'}


def _column_type(m: re.Match[str]) -> str:
    sqlite_type = " ".join(m.group(2).upper().split())
    pg = "BIGSERIAL PRIMARY KEY" if sqlite_type.endswith("AUTOINCREMENT") else \
        _PG_TYPES[sqlite_type]
    return m.group(1) + pg


def _marks(sql: str) -> str:
    def swap(m: re.Match[str]) -> str:
        token = m.group(0)  # psycopg reads every % as a placeholder, quoted or not
        return "%s" if token == "?" else token.replace("%", "%%")

    return _QUOTED_OR_MARK.sub(swap, sql)


def to_postgres(sql: str) -> str:
    """``sql`` as written for SQLite, in the form PostgreSQL runs (see the module doc)."""
    ignore = _INSERT_OR.match(sql)
    if ignore and ignore.group(1).upper() == "REPLACE":
        raise PostgresError("INSERT OR REPLACE is SQLite-only: write INSERT … ON CONFLICT "
                            "(key) DO UPDATE SET …, which both engines run")
    if ignore:
        sql = _INSERT_OR.sub("INSERT INTO", sql, count=1).rstrip().rstrip(";")
        sql += " ON CONFLICT DO NOTHING"
    if _DDL.match(sql):
        sql = _COLUMN_TYPE.sub(_column_type, sql)
    return _marks(sql)


def _param(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class PgCursor:
    """The rows of one statement, fetched at once (aiosqlite's cursor shape)."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int,
                 lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, or ``None``."""
        return self._rows.pop(0) if self._rows else None

    async def fetchall(self) -> list[tuple[Any, ...]]:
        """The remaining rows."""
        rows, self._rows = self._rows, []
        return rows

    async def close(self) -> None:
        """Nothing to release (rows are in memory)."""


class _Pending:
    """``conn.execute(...)``: awaited for the cursor, or ``async with`` it."""

    def __init__(self, conn: PgConnection, sql: str, params: Sequence[Any]) -> None:
        self._conn, self._sql, self._params = conn, sql, params

    def __await__(self) -> Generator[Any, None, PgCursor]:
        return self._conn.run(self._sql, self._params).__await__()

    async def __aenter__(self) -> PgCursor:
        return await self._conn.run(self._sql, self._params)

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgConnection:
    """One psycopg 3 async connection shaped like aiosqlite's (one statement at a time).

    Like Python's sqlite3, the first write opens a transaction that ``commit`` or ``rollback``
    ends; a read outside one runs on its own, so a reading process never sits "idle in
    transaction" (which would hold back another process's migration). A failed statement
    inside a transaction rolls it back at once, as PostgreSQL allows nothing else then.
    """

    engine = POSTGRESQL

    def __init__(self, conn: Any, url: str) -> None:
        self._conn = conn
        self.url = url
        self._lock = asyncio.Lock()
        self._serial_tables: set[str] | None = None
        self._in_transaction = False

    @classmethod
    async def connect(cls, url: str) -> PgConnection:
        """Connect to ``url`` (``PostgresError`` when the server cannot be reached)."""
        return cls(await _connect(url, autocommit=True), url)

    def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> _Pending:
        """Run one statement (``?`` placeholders); await it or use it with ``async with``."""
        return _Pending(self, sql, tuple(parameters or ()))

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        """Run ``sql`` once per parameter tuple."""
        for params in seq:
            await self.run(sql, tuple(params))

    async def run(self, sql: str, params: Sequence[Any]) -> PgCursor:
        """Translate and run ``sql``; its rows, row count and new row id."""
        if sql.strip().upper() in ("BEGIN", "BEGIN TRANSACTION"):
            return PgCursor([], 0, None)  # the first write opens the transaction
        import psycopg

        text = to_postgres(sql)
        async with self._lock:
            try:
                if self._conn.closed:  # lost (server restart, network): one new connection
                    self._conn = await _connect(self.url, autocommit=True)
                    self._in_transaction = False
                table = await self._serial_target(sql)
                if table and " RETURNING " not in text.upper():
                    text += " RETURNING id"
                if not self._in_transaction and not _is_read(sql):
                    await self._conn.execute("BEGIN")
                    self._in_transaction = True
                cur = await self._conn.execute(text, tuple(_param(p) for p in params))
                rows = [tuple(_value(v) for v in r) for r in await cur.fetchall()] \
                    if cur.description else []
                if _DDL.match(sql):
                    self._serial_tables = None
            except psycopg.Error as e:
                await self._abandon()
                raise PostgresError(_message(e)) from e
        lastrowid = int(rows[0][0]) if table and rows else None
        return PgCursor([] if table else rows, cur.rowcount, lastrowid)

    async def _abandon(self) -> None:
        """Roll back the transaction a failed statement broke (nothing else is possible)."""
        if self._in_transaction:
            self._in_transaction = False
            with contextlib.suppress(Exception):
                await self._conn.execute("ROLLBACK")

    async def _serial_target(self, sql: str) -> str | None:
        insert = _INSERT_INTO.match(_INSERT_OR.sub("INSERT INTO", sql, count=1))
        if insert is None:
            return None
        if self._serial_tables is None:
            cur = await self._conn.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
                "AND column_default LIKE 'nextval%%' AND table_schema = current_schema()")
            self._serial_tables = {str(r[0]) for r in await cur.fetchall()}
        name = insert.group(1).lower()
        return name if name in self._serial_tables else None

    async def commit(self) -> None:
        """Commit the open transaction (none open: nothing to do)."""
        await self._end("COMMIT")

    async def rollback(self) -> None:
        """Roll the open transaction back (none open: nothing to do)."""
        await self._end("ROLLBACK")

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    async def _end(self, statement: str) -> None:
        import psycopg

        async with self._lock:
            if not self._in_transaction:
                return
            self._in_transaction = False
            try:
                await self._conn.execute(statement)
            except psycopg.Error as e:
                raise PostgresError(_message(e)) from e


def _is_read(sql: str) -> bool:
    """A plain SELECT (no transaction needed)."""
    return sql.lstrip().upper().startswith("SELECT")


def _message(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


async def _connect(url: str, *, autocommit: bool) -> Any:
    """A psycopg async connection with TCP keepalives both ways (a dead peer is noticed in
    seconds, by the client and by the server)."""
    try:
        import psycopg
    except ImportError as e:  # pragma: no cover - psycopg is a dependency
        raise PostgresError("the PostgreSQL driver (psycopg) is not installed") from e
    try:
        return await psycopg.AsyncConnection.connect(
            url, autocommit=autocommit, connect_timeout=10, keepalives=1,
            keepalives_idle=5, keepalives_interval=2, keepalives_count=3,
            # the server's side too: it drops a vanished client (and its locks) in ~11 s
            options="-c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 "
                    "-c tcp_keepalives_count=3")
    except psycopg.Error as e:
        raise PostgresError(f"cannot connect: {_message(e)}") from e


async def connect_autocommit(url: str) -> Any:
    """A separate autocommit psycopg connection (the scheduler lease holds one)."""
    return await _connect(url, autocommit=True)


#: What every store is handed: aiosqlite's connection, or the PostgreSQL one shaped like it.
Connection: TypeAlias = aiosqlite.Connection | PgConnection


def engine_of(conn: Connection) -> str:
    """``sqlite`` or ``postgresql``."""
    return POSTGRESQL if isinstance(conn, PgConnection) else SQLITE
