"""Versioned schema migrations: one entry per schema version, applied in order.

Adding a migration is appending one ``Migration`` to ``MIGRATIONS`` with the next
version number; ``bot.storage.db`` applies every version above the stored one in
a transaction and records it in ``schema_version``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its version, a short name and the SQL statements it runs."""

    version: int
    name: str
    statements: tuple[str, ...]
    #: run after ``statements`` on PostgreSQL only (a type SQLite does not enforce)
    postgresql: tuple[str, ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "posts and the messages they were sent as",
        (
            """
            CREATE TABLE posts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                symbol TEXT NOT NULL,
                as_of TEXT NOT NULL,
                created_at TEXT NOT NULL,
                analysis BLOB NOT NULL,
                UNIQUE (symbol, as_of)
            )
            """,
            "CREATE INDEX posts_created_at ON posts (created_at)",
            """
            CREATE TABLE post_messages (
                chat_id INTEGER NOT NULL,
                message_id INTEGER NOT NULL,
                post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
                part INTEGER NOT NULL DEFAULT 0,
                view TEXT NOT NULL,
                sent_at TEXT NOT NULL,
                PRIMARY KEY (chat_id, message_id)
            )
            """,
            "CREATE INDEX post_messages_post ON post_messages (post_id)",
        ),
    ),
    Migration(
        2,
        "each chat's last follow-up question (intent, topic, symbol)",
        (
            """
            CREATE TABLE chat_context (
                chat_id INTEGER PRIMARY KEY,
                intent TEXT NOT NULL,
                topic TEXT,
                symbol TEXT,
                updated_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        3,
        "chats, digest subscriptions, their delivery log and each chat's digest memory",
        (
            """
            CREATE TABLE chats (
                chat_id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                timezone TEXT,
                updated_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE subscriptions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id INTEGER NOT NULL,
                thread_id INTEGER,
                symbols TEXT NOT NULL,
                schedule TEXT NOT NULL,
                paused_reason TEXT,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX subscriptions_chat ON subscriptions (chat_id)",
            """
            CREATE TABLE deliveries (
                subscription_id INTEGER NOT NULL,
                slot TEXT NOT NULL,
                chat_id INTEGER NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                detail TEXT,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (subscription_id, slot)
            )
            """,
            "CREATE INDEX deliveries_status ON deliveries (status)",
            """
            CREATE TABLE digest_memory (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id INTEGER NOT NULL,
                symbol TEXT NOT NULL,
                slot TEXT NOT NULL,
                headline TEXT NOT NULL,
                price REAL,
                open_interest_usd REAL,
                long_short_ratio REAL,
                funding_rate REAL,
                bias_score REAL,
                bias_label TEXT,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX digest_memory_chat ON digest_memory (chat_id, symbol, id)",
        ),
    ),
    Migration(
        4,
        "inbox of received updates, each digest's messages before sending, a start-up probe",
        (
            """
            CREATE TABLE inbox (
                update_id INTEGER PRIMARY KEY,
                chat_id INTEGER,
                payload TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                received_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX inbox_status ON inbox (status, update_id)",
            """
            CREATE TABLE digest_outbox (
                chat_id INTEGER NOT NULL,
                thread_key INTEGER NOT NULL,
                slot TEXT NOT NULL,
                part INTEGER NOT NULL,
                text TEXT NOT NULL,
                sent INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (chat_id, thread_key, slot, part)
            )
            """,
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            # the update that created a subscription: its redelivery is not "already"
            "ALTER TABLE subscriptions ADD COLUMN update_id INTEGER",
        ),
    ),
    Migration(
        5,
        "published calls, once per (symbol, as-of, horizon), and their graded outcomes",
        (
            """
            CREATE TABLE calls (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                symbol TEXT NOT NULL,
                as_of TEXT NOT NULL,
                horizon_hours INTEGER NOT NULL,
                due TEXT NOT NULL,
                price REAL NOT NULL,
                call TEXT NOT NULL,
                context TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                outcome TEXT,
                graded_at TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (symbol, as_of, horizon_hours)
            )
            """,
            "CREATE INDEX calls_status_due ON calls (status, due)",
            "CREATE INDEX calls_symbol_as_of ON calls (symbol, as_of)",
        ),
    ),
    Migration(
        6,
        "posts hold their analysis as versioned JSON text, no longer a pickle",
        (
            # SQLite keeps text in the BLOB column as text: values are rewritten in place
            # (``Storage.upgrade_posts``, the app's codec unpickling the rows before this)
            "INSERT INTO meta (key, value) VALUES ('posts_analysis', 'json') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        ),
        # PostgreSQL keeps BYTEA bytes: the column becomes text (empty on a new server)
        postgresql=("ALTER TABLE posts ALTER COLUMN analysis TYPE TEXT "
                    "USING convert_from(analysis, 'UTF8')",),
    ),
    Migration(
        7,
        "the stored post each staged digest message shows (its buttons survive a crash)",
        ("ALTER TABLE digest_outbox ADD COLUMN post_id INTEGER",),
    ),
    Migration(
        8,
        "price alerts and the messages that announce them",
        (
            """
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id INTEGER NOT NULL,
                thread_id INTEGER,
                symbol TEXT NOT NULL,
                kind TEXT NOT NULL,
                level REAL NOT NULL,
                pct REAL,
                rearm_pct REAL,
                inferred INTEGER NOT NULL DEFAULT 0,
                armed INTEGER NOT NULL DEFAULT 1,
                status TEXT NOT NULL DEFAULT 'active',
                fires INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                expires_at TEXT,
                checked_at TEXT NOT NULL,
                fired_at TEXT,
                fired_price REAL,
                update_id INTEGER
            )
            """,
            "CREATE INDEX alerts_status_symbol ON alerts (status, symbol)",
            "CREATE INDEX alerts_chat ON alerts (chat_id, status)",
            """
            CREATE TABLE alert_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id INTEGER NOT NULL,
                thread_id INTEGER,
                alert_ids TEXT NOT NULL,
                text TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                detail TEXT,
                created_at TEXT NOT NULL,
                sent_at TEXT
            )
            """,
            "CREATE INDEX alert_outbox_chat ON alert_outbox (chat_id, created_at)",
            "CREATE INDEX alert_outbox_status ON alert_outbox (status)",
        ),
    ),
    Migration(
        9,
        "chats' opt-ins to pushed feeds (whales, liquidations)",
        (
            """
            CREATE TABLE feed_subscriptions (
                chat_id INTEGER NOT NULL,
                thread_id INTEGER,
                feed TEXT NOT NULL,
                min_usd REAL NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (chat_id, feed)
            )
            """,
            "CREATE INDEX feed_subscriptions_feed ON feed_subscriptions (feed)",
            # a chat that blocked the bot: its alerts and feeds wait until it is back
            """
            CREATE TABLE push_pauses (
                chat_id INTEGER PRIMARY KEY,
                reason TEXT NOT NULL,
                paused_at TEXT NOT NULL
            )
            """,
            # feed messages share the alert outbox (same sender, same restart re-send);
            # ``feed`` is NULL for price alerts, ``dedupe_key`` stages an event once per chat
            "ALTER TABLE alert_outbox ADD COLUMN feed TEXT",
            "ALTER TABLE alert_outbox ADD COLUMN dedupe_key TEXT",
            "CREATE UNIQUE INDEX alert_outbox_dedupe ON alert_outbox (chat_id, dedupe_key)",
        ),
    ),
    Migration(
        10,
        "whale watcher: addresses chats watch and the positions last seen",
        (
            """
            CREATE TABLE whale_addresses (
                chat_id INTEGER NOT NULL,
                address TEXT NOT NULL,
                label TEXT,
                created_at TEXT NOT NULL,
                PRIMARY KEY (chat_id, address)
            )
            """,
            # ``scope``: 'tracked' (an address polled directly) or 'top' (the ranked list)
            """
            CREATE TABLE whale_seen (
                scope TEXT NOT NULL,
                address TEXT NOT NULL,
                observed_at TEXT NOT NULL,
                PRIMARY KEY (scope, address)
            )
            """,
            """
            CREATE TABLE whale_holdings (
                scope TEXT NOT NULL,
                address TEXT NOT NULL,
                coin TEXT NOT NULL,
                side TEXT NOT NULL,
                size REAL NOT NULL,
                notional_usd REAL NOT NULL,
                label TEXT,
                leverage REAL,
                PRIMARY KEY (scope, address, coin)
            )
            """,
        ),
    ),
    Migration(
        11,
        "each process's recent request counts per user and chat (flood control shared by "
        "several processes)",
        (
            """
            CREATE TABLE flood_counts (
                scope TEXT NOT NULL,
                key INTEGER NOT NULL,
                process TEXT NOT NULL,
                count INTEGER NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (scope, key, process)
            )
            """,
            "CREATE INDEX flood_counts_updated ON flood_counts (updated_at)",
        ),
    ),
)


def latest_version() -> int:
    """The schema version the code expects."""
    return max(m.version for m in MIGRATIONS)


def check_sequence(migrations: tuple[Migration, ...] = MIGRATIONS) -> None:
    """Raise ``ValueError`` unless versions run 1, 2, 3 … without gaps."""
    for expected, m in enumerate(migrations, start=1):
        if m.version != expected:
            raise ValueError(f"migration {m.name!r} has version {m.version}, expected {expected}")
