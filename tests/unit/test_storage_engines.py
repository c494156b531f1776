"""One store, two engines: what a store written with ``?`` and plain SQL gets on each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.storage import Storage
from bot.storage.engine import PostgresError, redact, to_postgres
from bot.storage.migrations import MIGRATIONS, Migration, latest_version
from tests.conftest import PROJECT_ROOT
from tests.fakes.bot_process import config_with_database
from tests.fakes.pg_server import PostgresServer

NOTES = Migration(latest_version() + 1, "notes: a store another module adds", (
    """
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id INTEGER NOT NULL,
        body TEXT NOT NULL,
        score REAL,
        created_at TEXT NOT NULL,
        UNIQUE (chat_id, body)
    )
    """,
))


async def test_a_plain_sql_store_runs_unchanged_on_both_engines(database: str) -> None:
    storage = await Storage.open(database, (*MIGRATIONS, NOTES))
    conn = storage._conn
    try:
        big_chat = -1_002_000_000_123  # supergroup ids need 64 bits
        cur = await conn.execute("INSERT INTO notes (chat_id, body, score, created_at) "
                                 "VALUES (?, ?, ?, ?)", (big_chat, "50% up?", 0.125, "2026-01-02"))
        first = cur.lastrowid
        await conn.execute("INSERT OR IGNORE INTO notes (chat_id, body, created_at) "
                           "VALUES (?, ?, ?)", (big_chat, "50% up?", "2026-01-03"))
        await conn.execute("INSERT INTO notes (chat_id, body, created_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (chat_id, body) DO UPDATE SET created_at = "
                           "excluded.created_at", (big_chat, "50% up?", "2026-01-04"))
        await conn.commit()
        async with conn.execute("SELECT id, chat_id, body, score, created_at, "
                                "SUM(chat_id) OVER () FROM notes WHERE body LIKE '50%'") as c:
            rows = list(await c.fetchall())
    finally:
        await storage.close()
    assert first is not None and first >= 1
    assert rows == [(first, big_chat, "50% up?", 0.125, "2026-01-04", big_chat)]


async def test_iso_times_sort_as_in_sqlite_on_both_engines(database: str) -> None:
    storage = await Storage.open(database)
    conn = storage._conn
    times = ["2026-01-01T10:00:00+00:00", "2026-01-01T09:59:59.500000+00:00",
             "2026-01-01T10:00:00.000001+00:00"]
    try:
        for i, t in enumerate(times):
            await conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"t{i}", t))
        await conn.commit()
        async with conn.execute("SELECT value FROM meta WHERE key LIKE 't%' ORDER BY value"
                                ) as cur:
            ordered = [r[0] for r in await cur.fetchall()]
    finally:
        await storage.close()
    assert ordered == sorted(times)


async def test_engine_is_named_and_schema_is_at_the_latest_version(database: str) -> None:
    storage = await Storage.open(database)
    try:
        engine, version = storage.engine, await storage.schema_version()
    finally:
        await storage.close()
    assert engine == ("postgresql" if database.startswith("postgresql://") else "sqlite")
    assert version == latest_version()


def test_insert_or_replace_is_refused_on_postgresql_with_the_portable_form_named() -> None:
    with pytest.raises(PostgresError, match="ON CONFLICT"):
        to_postgres("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")


def test_postgresql_forms_of_sqlite_sql() -> None:
    assert to_postgres("SELECT a FROM t WHERE b = ? AND c LIKE 'x%?'") == \
        "SELECT a FROM t WHERE b = %s AND c LIKE 'x%%?'"
    assert to_postgres("INSERT OR IGNORE INTO t (a) VALUES (?)") == \
        "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING"
    assert to_postgres("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, p REAL, "
                       "b BLOB, s TEXT)") == ('CREATE TABLE t (id BIGSERIAL PRIMARY KEY, '
                                              'p DOUBLE PRECISION, b BYTEA, s TEXT COLLATE "C")')


async def test_an_unreachable_server_is_a_storage_error_without_the_password(
    postgres_server: object,
) -> None:
    url = "postgresql://bot:s3cret@127.0.0.1:1/bot"
    with pytest.raises(StorageError) as failed:
        await Storage.open(url)
    assert "s3cret" not in str(failed.value)
    assert "cannot be reached" in str(failed.value)
    assert redact(url) == "postgresql://bot:***@127.0.0.1:1/bot"


def test_migrate_command_brings_a_postgresql_database_to_the_latest_version_once(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.create_database(f"migrate_{os.getpid()}")
    config = config_with_database(tmp_path, url)

    def migrate() -> str:
        done = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "migrate"],
                              capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    first, second = migrate(), migrate()
    assert first.startswith(f"Database: PostgreSQL at {url}")
    assert f"Schema version: 0 → {latest_version()}" in first
    assert f"applied {latest_version()}: " in first
    assert f"Schema version: {latest_version()} → {latest_version()} (already up to date)" \
        in second


async def test_reads_leave_no_transaction_open_on_postgresql(
    postgres_server: PostgresServer,
) -> None:
    import psycopg

    url = postgres_server.create_database(f"idle_{os.getpid()}")
    storage = await Storage.open(url)
    try:
        await storage.subscriptions.add(1, None, ("BTC",), "daily 08:00")
        await storage.subscriptions.active()
        await storage.schema_version()
        with psycopg.connect(url) as probe:
            idle = probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'idle in transaction'").fetchone()
    finally:
        await storage.close()
    assert idle == (0,)
