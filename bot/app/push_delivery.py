"""Sending staged pushes: price alert and feed messages (``alert_outbox``), one path.

Both the alert round and the whale watcher stage messages in the outbox, then hand them
here; a message already on its way (the other round saw it pending) is not sent twice. A
chat that moved (group → supergroup) takes its alerts, opt-ins and watched addresses along
and gets the message there. A chat that blocked the bot (or removed it) is *paused*: its
alerts and feeds wait until it talks to the bot again (``/alerts`` says so).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.app.digests import Sender
from bot.errors import ChatBlockedError, ChatMovedError, DeliveryError
from bot.storage import Storage
from bot.storage.alerts import StagedAlertMessage

log = logging.getLogger(__name__)
#: Chats served at once; the transport's rate limiter sets the pace.
WORKERS = 16


@dataclass
class Sent:
    """What one batch of sends did."""

    messages: int = 0
    failed: int = 0


class PushDelivery:
    """Sends staged messages through ``sender`` and settles them."""

    def __init__(self, storage: Storage, sender: Sender, clock: Callable[[], datetime]) -> None:
        self.storage = storage
        self.sender = sender
        self.clock = clock
        self._in_flight: set[int] = set()

    async def pending(self) -> Sent:
        """Send what is still staged (a crash came between staging and sending)."""
        return await self.send_all(await self.storage.alerts.pending())

    async def send_all(self, messages: Sequence[StagedAlertMessage]) -> Sent:
        """Send ``messages``, ``WORKERS`` chats at a time."""
        gate = asyncio.Semaphore(WORKERS)
        sent = Sent()

        async def one(message: StagedAlertMessage) -> None:
            if message.id in self._in_flight:
                return
            self._in_flight.add(message.id)
            try:
                async with gate:
                    await self._send(message, sent)
            finally:
                self._in_flight.discard(message.id)

        await asyncio.gather(*(one(m) for m in messages))
        return sent

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """Alerts, opt-ins and watched addresses follow a chat that moved."""
        await self.storage.alerts.migrate_chat(old_chat_id, new_chat_id)
        await self.storage.feeds.migrate_chat(old_chat_id, new_chat_id)
        await self.storage.whales.migrate_chat(old_chat_id, new_chat_id)

    async def _send(self, message: StagedAlertMessage, sent: Sent) -> None:
        """Send one staged message (following one chat move) and settle it."""
        chat_id = message.chat_id
        store = self.storage.alerts
        try:
            try:
                await self.sender.send(chat_id, message.thread_id, message.text)
            except ChatMovedError as e:
                await self.migrate_chat(chat_id, e.new_chat_id)
                chat_id = e.new_chat_id
                await self.sender.send(chat_id, message.thread_id, message.text)
        except DeliveryError as e:
            log.warning("push message to chat %d refused: %s", chat_id, e.detail)
            sent.failed += 1
            if isinstance(e, ChatBlockedError):
                await self.storage.feeds.pause_chat(chat_id, e.detail, self.clock())
            await store.settle(message.id, self.clock(), failed=e.detail)
            return
        except Exception:  # one chat's failure never stops the others; retried next round
            log.exception("push message to chat %d failed", chat_id)
            sent.failed += 1
            return
        await store.settle(message.id, self.clock())
        sent.messages += 1
