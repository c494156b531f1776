"""The bot's database: SQLite (aiosqlite, WAL) or PostgreSQL (``bot.storage.engine``).

Posts hold an analysis once per (symbol, snapshot time); ``post_messages`` links
every Telegram message (each part of a split post) to its post, so buttons and
replies find the analysis after a restart. Analyses are stored as text through the
codec the app passes (versioned JSON, readable with ``sqlite3``); rows pickled before
are converted by the codec's ``upgrade`` when the database is opened.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageError
from bot.storage.alerts import AlertStore
from bot.storage.calls import CallStore
from bot.storage.codec import PlainJson, PostCodec
from bot.storage.digest_outbox import DigestOutbox
from bot.storage.engine import Connection, PgConnection, engine_of, is_postgres_url, redact
from bot.storage.faults import BUSY_TIMEOUT_MS, cause, write, write_many
from bot.storage.feeds import FeedStore
from bot.storage.flood import FloodCounts
from bot.storage.inbox import Inbox
from bot.storage.migrations import MIGRATIONS, Migration, check_sequence
from bot.storage.subscriptions import SubscriptionStore
from bot.storage.timestamps import from_iso, to_iso
from bot.storage.whales import WhaleStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoredPost:
    """An analysis as stored: ``analysis`` is ``None`` when it can no longer be decoded."""

    id: int
    symbol: str
    as_of: datetime
    created_at: datetime
    analysis: Any


@dataclass(frozen=True, slots=True)
class PostMessage:
    """One Telegram message that shows (a part of) a post."""

    chat_id: int
    message_id: int
    post_id: int
    part: int
    view: str


@dataclass(frozen=True, slots=True)
class SavedChatContext:
    """A chat's last follow-up question as stored (``chat_context`` table)."""

    chat_id: int
    intent: str
    topic: str | None
    symbol: str | None
    updated_at: datetime


_SELECT_LINKS = "SELECT chat_id, message_id, post_id, part, view FROM post_messages"


def _link(row: Any) -> PostMessage:
    return PostMessage(int(row[0]), int(row[1]), int(row[2]), int(row[3]), str(row[4]))


def _check_folder(folder: Path) -> None:
    """Create the database's folder; ``OSError`` with a plain cause when it cannot be used."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{folder} is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, f"folder {folder} is not writable")
    # root passes os.access everywhere: a read-only mount only shows when creating a file
    probe = folder / f".probe-{os.getpid()}"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as e:
        raise PermissionError(e.errno or errno.EACCES, f"folder {folder} is not writable") from e
    probe.unlink(missing_ok=True)


#: PostgreSQL advisory lock key held while migrating (any fixed number unlikely to clash).
MIGRATION_LOCK = 0x6D63_0001


async def _connect(target: str) -> Connection:
    """A SQLite connection (WAL, foreign keys, busy timeout) or a PostgreSQL one."""
    if is_postgres_url(target):
        return await PgConnection.connect(target)
    if target != ":memory:":
        _check_folder(Path(target).parent)
    conn = await aiosqlite.connect(target)
    try:
        if target != ":memory:":
            await conn.execute("PRAGMA journal_mode=WAL")
            # WAL with NORMAL: a commit survives a killed process (not a power cut)
            await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except BaseException:
        await conn.close()
        raise
    return conn


class Storage:
    """An open database connection with the bot's queries."""

    def __init__(self, conn: Connection, codec: PostCodec | PlainJson | None = None
                 ) -> None:
        self._conn = conn
        self._codec = codec or PlainJson()
        #: where it lives, for logs and /status (a URL without its password, or a path)
        self.location = redact(conn.url) if isinstance(conn, PgConnection) else ""

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return engine_of(self._conn)

    @classmethod
    async def open(
        cls, path: str | Path, migrations: tuple[Migration, ...] = MIGRATIONS, *,
        codec: PostCodec | None = None,
    ) -> Storage:
        """Open (creating if needed) the database at ``path``, migrate it and probe a write.

        ``path`` is a SQLite file (or ``:memory:``) or a ``postgresql://`` URL.

        ``codec`` turns analyses into text and back (plain JSON without one); with a codec,
        posts stored before JSON are upgraded through it before the probe.
        Any failure closes what was opened and raises ``StorageError`` naming the path and
        the cause (unwritable folder, read-only or locked file, full disk, failing pragma).
        """
        check_sequence(migrations)
        target = str(path)
        conn: Connection | None = None
        try:
            conn = await _connect(target)
            storage = cls(conn, codec)
            storage.location = storage.location or target
            await storage._migrate(migrations)
            if codec is not None and storage.engine == "sqlite":
                await storage.upgrade_posts(codec.upgrade)  # pickles exist only in SQLite files
            await storage._probe()
        except (sqlite3.Error, OSError) as e:
            if conn is not None:
                await conn.close()
            shown = redact(target) if is_postgres_url(target) else target
            raise StorageError(f"database {shown}: {cause(e)}") from e
        except BaseException:
            if conn is not None:
                await conn.close()
            raise
        return storage

    @classmethod
    async def version_of(cls, path: str | Path) -> int:
        """The schema version stored at ``path`` now, without migrating (0: none yet)."""
        target = str(path)
        if not is_postgres_url(target) and (target == ":memory:" or not Path(target).exists()):
            return 0
        try:
            conn = await _connect(target)
        except (sqlite3.Error, OSError) as e:
            shown = redact(target) if is_postgres_url(target) else target
            raise StorageError(f"database {shown}: {cause(e)}") from e
        try:
            async with conn.execute("SELECT MAX(version) FROM schema_version") as cur:
                row = await cur.fetchone()
            return int(row[0]) if row and row[0] is not None else 0
        except sqlite3.Error:  # no schema_version table: a new database
            return 0
        finally:
            await conn.close()

    async def _probe(self) -> None:
        """One real write (a file that cannot take one fails here, at start)."""
        await self._conn.execute(
            "INSERT INTO meta (key, value) VALUES ('opened_at', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (to_iso(datetime.now(UTC)),))
        await self._conn.commit()

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()

    @cached_property
    def outbox(self) -> DigestOutbox:
        """Each digest's messages, staged before sending (same connection)."""
        return DigestOutbox(self._conn)

    @cached_property
    def inbox(self) -> Inbox:
        """Received updates, stored before they are acknowledged (same connection)."""
        return Inbox(self._conn)

    @cached_property
    def subscriptions(self) -> SubscriptionStore:
        """Digest subscriptions, their delivery log and chat memory (same connection)."""
        return SubscriptionStore(self._conn)

    @cached_property
    def alerts(self) -> AlertStore:
        """Price alerts and the messages announcing them (same connection)."""
        return AlertStore(self._conn)

    @cached_property
    def feeds(self) -> FeedStore:
        """Chats' opt-ins to pushed feeds and the feed messages staged for them."""
        return FeedStore(self._conn)

    @cached_property
    def whales(self) -> WhaleStore:
        """Watched whale addresses and the positions last seen (same connection)."""
        return WhaleStore(self._conn)

    @cached_property
    def flood(self) -> FloodCounts:
        """Request counts shared by several processes (same connection)."""
        return FloodCounts(self._conn)

    @cached_property
    def calls(self) -> CallStore:
        """Published calls and their graded outcomes, the track record (same connection)."""
        return CallStore(self._conn)

    async def _migrate(self, migrations: tuple[Migration, ...]) -> None:
        postgres = isinstance(self._conn, PgConnection)
        if postgres:  # several processes may start at once: one migrates, the rest wait
            await self._conn.execute("SELECT pg_advisory_lock(?)", (MIGRATION_LOCK,))
        try:
            await self._apply(migrations, postgres)
        finally:
            if postgres:
                await self._conn.execute("SELECT pg_advisory_unlock(?)", (MIGRATION_LOCK,))
                await self._conn.commit()

    async def _apply(self, migrations: tuple[Migration, ...], postgres: bool) -> None:
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = await self.schema_version()
        for m in migrations:
            if m.version <= current:
                continue
            try:
                await self._conn.execute("BEGIN")
                for statement in (*m.statements, *(m.postgresql if postgres else ())):
                    await self._conn.execute(statement)
                await self._conn.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.name, to_iso(datetime.now(UTC))),
                )
                await self._conn.commit()
            except sqlite3.Error:
                await self._conn.rollback()
                raise
            log.info("database migrated to version %d (%s)", m.version, m.name)

    async def _write(self, what: str, sql: str, params: tuple[Any, ...]) -> int:
        return await write(self._conn, what, sql, params)

    async def schema_version(self) -> int:
        """The highest applied migration version (0 for a new database)."""
        async with self._conn.execute("SELECT MAX(version) FROM schema_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def journal_mode(self) -> str:
        """SQLite's journal mode (``wal`` for file databases; empty on PostgreSQL)."""
        if isinstance(self._conn, PgConnection):
            return ""
        async with self._conn.execute("PRAGMA journal_mode") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""

    async def save_post(self, symbol: str, as_of: datetime, analysis: object) -> int:
        """Store ``analysis`` once per (symbol, as_of) and return the post id."""
        try:
            text = self._codec.encode(analysis)
        except (TypeError, ValueError, AttributeError) as e:
            raise StorageError(f"analysis of {symbol} cannot be stored: {e}") from e
        await self._write("cannot store post",
                          "INSERT OR IGNORE INTO posts (symbol, as_of, created_at, analysis) "
                          "VALUES (?, ?, ?, ?)",
                          (symbol, to_iso(as_of), to_iso(datetime.now(UTC)), text))
        try:
            async with self._conn.execute(
                "SELECT id FROM posts WHERE symbol = ? AND as_of = ?", (symbol, to_iso(as_of))
            ) as cur:
                row = await cur.fetchone()
        except sqlite3.Error as e:
            raise StorageError(f"cannot store post: {cause(e)}") from e
        if row is None:
            raise StorageError(f"post of {symbol} at {as_of} vanished after insert")
        return int(row[0])

    async def link_message(
        self, chat_id: int, message_id: int, post_id: int, *, part: int = 0, view: str
    ) -> None:
        """Remember that message ``message_id`` in ``chat_id`` shows ``post_id``."""
        await self._write(
            "cannot link message",
            "INSERT INTO post_messages (chat_id, message_id, post_id, part, view, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET "
            "post_id = excluded.post_id, part = excluded.part, view = excluded.view, "
            "sent_at = excluded.sent_at",
            (chat_id, message_id, post_id, part, view, to_iso(datetime.now(UTC))),
        )

    async def post(self, post_id: int) -> StoredPost | None:
        """The post with id ``post_id``, or ``None`` when unknown or pruned."""
        async with self._conn.execute(
            "SELECT id, symbol, as_of, created_at, analysis FROM posts WHERE id = ?", (post_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return StoredPost(
            int(row[0]), str(row[1]), from_iso(row[2]), from_iso(row[3]), self._decode(row[4])
        )

    def _decode(self, value: object) -> Any:
        if not isinstance(value, str):  # a pickle nobody upgraded (opened without a codec)
            log.warning("stored analysis is not text; treating the post as stale")
            return None
        try:
            return self._codec.decode(value)
        except Exception:  # a codec must not crash a reply: the post is stale
            log.warning("stored analysis could not be decoded; treating the post as stale",
                        exc_info=True)
            return None

    async def upgrade_posts(self, convert: Callable[[bytes], str | None]) -> int:
        """Rewrite each post stored before JSON (a blob) as ``convert``'s text; return how many.

        A record ``convert`` cannot read (``None`` or an exception) becomes JSON ``null``,
        which every codec reads as stale: its buttons answer politely, nothing crashes.
        All rows are rewritten in one transaction.
        """
        try:
            async with self._conn.execute(
                "SELECT id, analysis FROM posts WHERE typeof(analysis) = 'blob'"
            ) as cur:
                rows = list(await cur.fetchall())
        except sqlite3.Error as e:
            raise StorageError(f"cannot read posts to upgrade: {cause(e)}") from e
        updates: list[tuple[str, tuple[Any, ...]]] = []
        for post_id, blob in rows:
            try:
                text = convert(bytes(blob))
            except Exception:
                log.warning("post %s could not be upgraded", post_id, exc_info=True)
                text = None
            updates.append(("UPDATE posts SET analysis = ? WHERE id = ?",
                            ("null" if text is None else text, post_id)))
        if updates:
            await write_many(self._conn, "cannot upgrade posts", updates)
            log.info("upgraded %d stored post(s) to JSON", len(rows))
        return len(rows)

    async def message(self, chat_id: int, message_id: int) -> PostMessage | None:
        """What post the message shows, or ``None`` for messages the bot does not know."""
        async with self._conn.execute(
            f"{_SELECT_LINKS} WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _link(row)

    async def post_for_message(self, chat_id: int, message_id: int) -> StoredPost | None:
        """The post a message shows (for replies to the bot's messages)."""
        link = await self.message(chat_id, message_id)
        return None if link is None else await self.post(link.post_id)

    async def messages_of_post(self, chat_id: int, post_id: int) -> tuple[PostMessage, ...]:
        """The messages (parts in order) showing ``post_id`` in ``chat_id``."""
        async with self._conn.execute(
            f"{_SELECT_LINKS} WHERE chat_id = ? AND post_id = ? ORDER BY part, message_id",
            (chat_id, post_id),
        ) as cur:
            rows = await cur.fetchall()
        return tuple(_link(r) for r in rows)

    async def latest_post_symbol(
        self, chat_id: int, since: datetime | None = None
    ) -> str | None:
        """The symbol of the post last sent (or answered from) in ``chat_id`` after ``since``."""
        async with self._conn.execute(
            "SELECT p.symbol FROM post_messages m JOIN posts p ON p.id = m.post_id "
            "WHERE m.chat_id = ? AND m.sent_at > ? ORDER BY m.sent_at DESC, m.message_id DESC "
            "LIMIT 1",
            (chat_id, to_iso(since) if since is not None else ""),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else str(row[0])

    async def chat_context(self, chat_id: int) -> SavedChatContext | None:
        """The chat's last follow-up question, or ``None`` when it never asked one."""
        async with self._conn.execute(
            "SELECT chat_id, intent, topic, symbol, updated_at FROM chat_context "
            "WHERE chat_id = ?", (chat_id,),
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return SavedChatContext(int(row[0]), str(row[1]), row[2], row[3], from_iso(row[4]))

    async def save_chat_context(
        self, chat_id: int, intent: str, topic: str | None, symbol: str | None
    ) -> None:
        """Remember the chat's last follow-up question (replacing the previous one)."""
        await self._write(
            "cannot save chat context",
            "INSERT INTO chat_context (chat_id, intent, topic, symbol, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET intent = "
            "excluded.intent, topic = excluded.topic, symbol = excluded.symbol, "
            "updated_at = excluded.updated_at",
            (chat_id, intent, topic, symbol, to_iso(datetime.now(UTC))),
        )

    async def prune(self, retention: timedelta, now: datetime | None = None) -> int:
        """Delete posts older than ``retention`` (and their links); return how many."""
        cutoff = to_iso((now or datetime.now(UTC)) - retention)
        return await self._write("cannot prune posts",
                                 "DELETE FROM posts WHERE created_at < ?", (cutoff,))

    async def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for /status)."""
        result: dict[str, int] = {}
        for table in ("posts", "post_messages"):
            async with self._conn.execute(f"SELECT COUNT(*) FROM {table}") as cur:
                row = await cur.fetchone()
            result[table] = int(row[0]) if row else 0
        return result
