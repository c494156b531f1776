"""SQL for pushed feeds (whale moves, liquidation bursts): which chats opted in, above what
size, and the feed messages staged for them. Reached as ``Storage.feeds``.

Feed messages are staged in the price alerts' ``alert_outbox`` (``feed`` set, no alert ids),
so they go out through the same round, sender and restart re-send. ``dedupe_key`` is unique
per chat: one event is staged at most once per chat, whatever the number of rounds or
restarts that see it. A chat that blocked the bot is *paused* (``push_pauses``): its feeds
and price alerts wait until it talks to the bot again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.alerts import StagedAlertMessage
from bot.storage.engine import Connection
from bot.storage.faults import retry_write, write, write_many
from bot.storage.timestamps import from_iso, to_iso


@dataclass(frozen=True, slots=True)
class FeedSubscription:
    """A chat's (or forum topic's) opt-in to one feed, for events of at least ``min_usd``."""

    chat_id: int
    thread_id: int | None
    feed: str
    min_usd: float
    created_at: datetime
    paused_reason: str | None = None

    @property
    def paused(self) -> bool:
        """Whether the chat's pushes are on hold (it blocked the bot)."""
        return self.paused_reason is not None


_COLUMNS = ("f.chat_id, f.thread_id, f.feed, f.min_usd, f.created_at, p.reason "
            "FROM feed_subscriptions f LEFT JOIN push_pauses p ON p.chat_id = f.chat_id")


def _subscription(row: Any) -> FeedSubscription:
    return FeedSubscription(int(row[0]), None if row[1] is None else int(row[1]), str(row[2]),
                            float(row[3]), from_iso(row[4]),
                            None if row[5] is None else str(row[5]))


class FeedStore:
    """Queries on ``feed_subscriptions``, ``push_pauses`` and the feed rows of
    ``alert_outbox`` over the bot's open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def subscribe(self, chat_id: int, thread_id: int | None, feed: str, min_usd: float,
                        now: datetime) -> None:
        """Opt the chat in to ``feed`` (a second call changes the topic and the size)."""
        await write(self._conn, "cannot store feed subscription",
                    "INSERT INTO feed_subscriptions (chat_id, thread_id, feed, min_usd, "
                    "created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, feed) DO UPDATE "
                    "SET thread_id = excluded.thread_id, min_usd = excluded.min_usd",
                    (chat_id, thread_id, feed, min_usd, to_iso(now)))

    async def unsubscribe(self, chat_id: int, feed: str) -> bool:
        """Opt the chat out of ``feed``; whether it was in."""
        return await write(self._conn, "cannot delete feed subscription",
                           "DELETE FROM feed_subscriptions WHERE chat_id = ? AND feed = ?",
                           (chat_id, feed)) > 0

    async def subscribers(self, feed: str) -> list[FeedSubscription]:
        """The chats that opted in to ``feed`` and are not paused, by chat."""
        rows = await self._rows(f"SELECT {_COLUMNS} WHERE f.feed = ? AND p.reason IS NULL "
                                "ORDER BY f.chat_id", (feed,))
        return [_subscription(r) for r in rows]

    async def of_chat(self, chat_id: int) -> list[FeedSubscription]:
        """The chat's opt-ins (paused ones too), by feed."""
        rows = await self._rows(f"SELECT {_COLUMNS} WHERE f.chat_id = ? ORDER BY f.feed",
                                (chat_id,))
        return [_subscription(r) for r in rows]

    async def count(self, feed: str) -> int:
        """How many chats opted in to ``feed`` (for /status)."""
        rows = await self._rows("SELECT COUNT(*) FROM feed_subscriptions WHERE feed = ?",
                                (feed,))
        return int(rows[0][0]) if rows else 0

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """Opt-ins and a pause follow a chat that moved (group → supergroup); how many
        opt-ins moved (the new chat's own opt-in to a feed wins)."""
        moved = (new_chat_id, old_chat_id)
        await write_many(self._conn, "cannot move feed subscriptions", [
            ("DELETE FROM feed_subscriptions WHERE chat_id = ? AND feed IN "
             "(SELECT feed FROM feed_subscriptions WHERE chat_id = ?)",
             (old_chat_id, new_chat_id)),
            ("DELETE FROM push_pauses WHERE chat_id = ?", (new_chat_id,)),
            ("UPDATE push_pauses SET chat_id = ? WHERE chat_id = ?", moved),
        ])
        return await write(self._conn, "cannot move feed subscriptions",
                           "UPDATE feed_subscriptions SET chat_id = ? WHERE chat_id = ?", moved)

    async def pause_chat(self, chat_id: int, reason: str, now: datetime) -> None:
        """Hold the chat's pushes (it blocked the bot or removed it)."""
        await write(self._conn, "cannot pause chat",
                    "INSERT INTO push_pauses (chat_id, reason, paused_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (chat_id) DO NOTHING", (chat_id, reason, to_iso(now)))

    async def paused(self, chat_id: int) -> str | None:
        """Why the chat's pushes are on hold, or ``None``."""
        rows = await self._rows("SELECT reason FROM push_pauses WHERE chat_id = ?", (chat_id,))
        return str(rows[0][0]) if rows else None

    async def resume_chat(self, chat_id: int) -> str | None:
        """Lift the chat's pause; the reason it had (``None``: it was not paused)."""
        reason = await self.paused(chat_id)
        if reason is not None:
            await write(self._conn, "cannot resume chat",
                        "DELETE FROM push_pauses WHERE chat_id = ?", (chat_id,))
        return reason

    async def stage_feed_message(self, chat_id: int, thread_id: int | None, feed: str,
                                 text: str, key: str, now: datetime
                                 ) -> StagedAlertMessage | None:
        """Stage ``text`` for the chat in the alert outbox; ``None`` (nothing written) when
        the chat already had a message with ``key``."""
        async def insert() -> StagedAlertMessage | None:
            cur = await self._conn.execute(
                "INSERT INTO alert_outbox (chat_id, thread_id, alert_ids, text, created_at, "
                "feed, dedupe_key) VALUES (?, ?, '', ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, dedupe_key) DO NOTHING",
                (chat_id, thread_id, text, to_iso(now), feed, key))
            await self._conn.commit()
            if not cur.rowcount or cur.lastrowid is None:
                return None
            return StagedAlertMessage(int(cur.lastrowid), chat_id, thread_id, (), text, now,
                                      feed)

        return await retry_write(self._conn, "cannot stage feed message", insert)

    async def messages_since(self, chat_id: int, feed: str, since: datetime
                             ) -> tuple[int, datetime | None]:
        """How many ``feed`` messages the chat was given since ``since``, and the last
        one's time (failed ones not counted)."""
        rows = await self._rows(
            "SELECT COUNT(*), MAX(created_at) FROM alert_outbox WHERE chat_id = ? "
            "AND feed = ? AND created_at >= ? AND status != 'failed'",
            (chat_id, feed, to_iso(since)))
        count, last = rows[0] if rows else (0, None)
        return int(count or 0), None if last is None else from_iso(last)
