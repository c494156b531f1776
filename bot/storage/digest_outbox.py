"""A digest's messages, stored before the first is sent: the idempotency key is (chat, slot).

``stage`` writes, in one transaction, the delivery as ``pending``, every message part with
``sent = 0`` and what the chat is about to be sent (headline memory). Each part is marked
sent right after Telegram accepted it. A restart re-sends only the parts not marked, from
the stored text, so a crash mid-round neither drops nor repeats a chat's digest; the one
part whose request was on the wire at the instant of the crash is the only one that can
arrive twice (Telegram offers no idempotency key).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.storage.digest_records import DigestMemory
from bot.storage.engine import Connection
from bot.storage.faults import write, write_many
from bot.storage.subscriptions import Statement, memory_statement, record_statements
from bot.storage.timestamps import to_iso

#: ``thread_key`` of a delivery outside forum topics (real topic ids are positive).
NO_TOPIC = -1


@dataclass(frozen=True, slots=True)
class OutboxPart:
    """One message of a staged digest."""

    part: int
    text: str
    sent: bool
    #: the stored post this message shows (``None``: none, or staged before migration 6)
    post_id: int | None = None


def thread_key(thread_id: int | None) -> int:
    """The stored key of a forum topic (``NO_TOPIC`` for none)."""
    return NO_TOPIC if thread_id is None else thread_id


class DigestOutbox:
    """Queries on ``digest_outbox`` over the bot's open connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _write_many(self, statements: Sequence[Statement]) -> None:
        await write_many(self._conn, "digest outbox", statements)

    async def parts(self, chat_id: int, thread_id: int | None, slot: datetime
                    ) -> tuple[OutboxPart, ...]:
        """The staged parts of (chat, topic, slot) in order; empty when none are staged."""
        async with self._conn.execute(
            "SELECT part, text, sent, post_id FROM digest_outbox WHERE chat_id = ? "
            "AND thread_key = ? AND slot = ? ORDER BY part",
            (chat_id, thread_key(thread_id), to_iso(slot)),
        ) as cur:
            rows = await cur.fetchall()
        return tuple(OutboxPart(int(r[0]), str(r[1]), bool(r[2]),
                                None if r[3] is None else int(r[3])) for r in rows)

    async def staged(self, slot: datetime) -> set[tuple[int, int]]:
        """(chat, thread key) of every delivery of ``slot`` with staged parts."""
        async with self._conn.execute(
            "SELECT DISTINCT chat_id, thread_key FROM digest_outbox WHERE slot = ?",
            (to_iso(slot),),
        ) as cur:
            rows = await cur.fetchall()
        return {(int(r[0]), int(r[1])) for r in rows}

    async def stage(self, subscription_ids: Sequence[int], chat_id: int, thread_id: int | None,
                    slot: datetime, messages: Sequence[str], memories: Sequence[DigestMemory],
                    post_ids: Sequence[int | None] = ()) -> tuple[OutboxPart, ...]:
        """Record the delivery pending with its messages and memories (one transaction).

        ``post_ids`` names the stored post of each message (missing ones: none).
        """
        shows = [post_ids[i] if i < len(post_ids) else None for i in range(len(messages))]
        key = (chat_id, thread_key(thread_id), to_iso(slot))
        statements: list[Statement] = record_statements(subscription_ids, chat_id, slot,
                                                        "pending")
        statements += [("INSERT INTO digest_outbox (chat_id, thread_key, slot, part, text, sent, "
                        "post_id) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (chat_id, thread_key, "
                        "slot, part) DO UPDATE SET text = excluded.text, sent = 0, "
                        "post_id = excluded.post_id",
                        (*key, part, text, shows[part]))
                       for part, text in enumerate(messages)]
        statements += [memory_statement(m) for m in memories]
        await self._write_many(statements)
        return tuple(OutboxPart(part, text, False, shows[part])
                     for part, text in enumerate(messages))

    async def mark_sent(self, chat_id: int, thread_id: int | None, slot: datetime, part: int
                        ) -> None:
        """Telegram accepted ``part``: a restart must not send it again."""
        await write(self._conn, "digest outbox",
                    "UPDATE digest_outbox SET sent = 1 WHERE chat_id = ? AND thread_key = ? "
                    "AND slot = ? AND part = ?",
                    (chat_id, thread_key(thread_id), to_iso(slot), part))

    async def settle(self, subscription_ids: Sequence[int], chat_id: int, thread_id: int | None,
                     slot: datetime, *, failed: str | None = None) -> None:
        """Record the delivery sent (or failed, forgetting its memories) and drop its parts."""
        statements = record_statements(subscription_ids, chat_id, slot,
                                       "sent" if failed is None else "failed", failed)
        statements.append(("DELETE FROM digest_outbox WHERE chat_id = ? AND thread_key = ? "
                           "AND slot = ?", (chat_id, thread_key(thread_id), to_iso(slot))))
        if failed is not None:
            statements.append(("DELETE FROM digest_memory WHERE chat_id = ? AND slot = ?",
                               (chat_id, to_iso(slot))))
        await self._write_many(statements)
