"""Nothing acknowledged is lost: updates are stored before Telegram hears they arrived.

PTB's Updater puts every fetched update into ``Application.update_queue`` *before* it moves
the ``getUpdates`` offset past it (polling) or answers HTTP 200 (webhook). ``InboxQueue``
makes that ``put`` store the update first, so a crash after the acknowledgement leaves a
``pending`` row. ``InboxProcessor`` marks the row ``done`` once the handlers (and so the
reply) finished, and runs each chat's updates in that chat's own small queue, so one noisy
chat cannot take the shared concurrency from everyone else. At start ``redeliver_pending``
hands the pending rows to the Application before polling begins; an update that was already
re-tried ``MAX_REDELIVERIES`` times, or is older than ``MAX_AGE``, is dropped with a log line
and a polite reply instead of looping forever.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import Application, BaseUpdateProcessor

from bot.errors import StorageError
from bot.storage.inbox import Inbox, InboxEntry

log = logging.getLogger(__name__)
#: Restarts that may hand a stored update to the handlers again before it is dropped.
MAX_REDELIVERIES = 3
#: Stored updates older than this are not answered after a restart (Telegram keeps a day).
MAX_AGE = timedelta(hours=24)
#: Updates of one chat handled at once; the rest wait in that chat's queue.
PER_CHAT_CONCURRENCY = 4
#: PTB's own bound on concurrent updates, set out of the way (``InboxProcessor.shared``).
UNBOUNDED = 1_000_000
#: Settled inbox rows are kept this long (to recognise an update delivered twice).


def chat_key(update: object) -> int | None:
    """The queue an update waits in: its chat, else its user (``None``: no queue)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class InboxQueue(asyncio.Queue[object]):
    """The Application's update queue; ``put`` stores an update before queueing it."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    async def put(self, item: object) -> None:
        """Store ``item`` (an Update) as pending, then queue it; known updates are skipped."""
        if isinstance(item, Update) and not await self._store(item):
            log.info("update %d arrived again; already stored, not handled twice",
                     item.update_id)
            return
        await super().put(item)

    async def _store(self, update: Update) -> bool:
        try:
            return await self.inbox.receive(update.update_id, chat_key(update),
                                            update.to_dict())
        except StorageError as e:  # answer anyway; only the crash guarantee is lost
            log.warning("update %d handled without being stored: %s", update.update_id, e)
            return True

    def redeliver(self, update: Update) -> None:
        """Queue an update that is already stored (start-up recovery)."""
        self.put_nowait(update)


@dataclass
class _ChatQueue:
    gate: asyncio.Semaphore
    users: int = 0


class InboxProcessor(BaseUpdateProcessor):
    """Per-chat queues in front of the shared concurrency; marks updates done when handled.

    PTB's own semaphore (taken before ``do_process_update``) is set high so that updates
    waiting in a busy chat's queue hold no shared slot; ``shared`` is the real bound.
    """

    def __init__(self, inbox: Inbox, max_concurrent_updates: int,
                 per_chat: int = PER_CHAT_CONCURRENCY) -> None:
        super().__init__(UNBOUNDED)
        self.inbox = inbox
        self.per_chat = per_chat
        self.shared = asyncio.Semaphore(max_concurrent_updates)
        self._chats: dict[int, _ChatQueue] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait in the chat's queue, then for a shared slot; settle the inbox row after."""
        key = chat_key(update)
        if key is None:
            async with self.shared:
                await coroutine
        else:
            queue = self._chats.setdefault(key, _ChatQueue(asyncio.Semaphore(self.per_chat)))
            queue.users += 1
            try:
                async with queue.gate, self.shared:
                    await coroutine
            finally:
                queue.users -= 1
                if queue.users == 0:
                    del self._chats[key]
        if isinstance(update, Update):
            await self._mark_done(update.update_id)

    async def _mark_done(self, update_id: int) -> None:
        try:
            await self.inbox.settle(update_id, "done")
        except StorageError as e:  # it may be answered again after a crash; say so
            log.warning("update %d answered but not marked done: %s", update_id, e)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


@dataclass(frozen=True, slots=True)
class Redelivery:
    """What start-up recovery did with the inbox."""

    redelivered: int
    dropped: int


async def _drop(bot: Bot, entry: InboxEntry, inbox: Inbox, reason: str, apology: str) -> None:
    log.warning("stored update %d dropped (%s)", entry.update_id, reason)
    await inbox.settle(entry.update_id, "dropped")
    if entry.chat_id is None:
        return
    try:
        await bot.send_message(entry.chat_id, apology)
    except TelegramError as e:
        log.warning("could not apologise to chat %d: %s", entry.chat_id, e)


async def redeliver_pending(app: Application, apology: str,
                            now: datetime | None = None,
                            min_age: timedelta = timedelta(0)) -> Redelivery:
    """Hand every stored, unhandled update to the Application (call before polling starts).

    ``apology`` is sent to the chat of an update that is dropped (too many attempts, too old).
    ``min_age``: leave younger updates alone (with several processes on one database, another
    live process may be answering them right now).
    """
    queue = app.update_queue
    if not isinstance(queue, InboxQueue):
        return Redelivery(0, 0)
    moment = now or datetime.now(UTC)
    redelivered = dropped = 0
    for entry in await queue.inbox.pending():
        if moment - entry.received_at < min_age:
            continue
        if entry.attempts >= MAX_REDELIVERIES:
            await _drop(app.bot, entry, queue.inbox, "failed on every attempt", apology)
            dropped += 1
            continue
        if moment - entry.received_at > MAX_AGE:
            await _drop(app.bot, entry, queue.inbox, "too old to answer", apology)
            dropped += 1
            continue
        await queue.inbox.attempt(entry.update_id)
        update = Update.de_json(entry.payload, app.bot)
        queue.redeliver(update)
        redelivered += 1
    if redelivered or dropped:
        log.info("inbox after restart: %d update(s) handed to the handlers, %d dropped",
                 redelivered, dropped)
    return Redelivery(redelivered, dropped)

