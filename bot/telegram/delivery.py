"""Telegram's delivery rules for messages the bot sends on its own (scheduled digests).

The rate limiter (``bot.telegram.app.rate_limiter``) paces every send and retries a 429
itself; it is the only rate-limit retry layer. Here: a lost connection or a timeout is
tried again a few times, and Telegram's refusals become :class:`bot.errors.DeliveryError`
(moved chat, blocked bot, gone topic, anything else) for the application to act on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.app.views import PostButtons
from bot.errors import ChatBlockedError, ChatMovedError, DeliveryError

log = logging.getLogger(__name__)
#: Sends of one message when the connection fails or times out.
NETWORK_ATTEMPTS = 3
#: Pause before sending again after a timeout or a lost connection.
NETWORK_RETRY_SECONDS = 1.0


class TelegramSender:
    """Sends digest messages through the bot (and so through its rate limiter).

    ``keyboard`` builds the buttons under a post (``BotService.buttons``: refresh, charts,
    related questions, as under ``/digest``); without it messages go out bare.
    """

    def __init__(self, bot: Bot,
                 keyboard: Callable[[PostButtons], InlineKeyboardMarkup] | None = None) -> None:
        self.bot = bot
        self.keyboard = keyboard

    async def send(self, chat_id: int, thread_id: int | None, text: str,
                   buttons: PostButtons | None = None) -> int | None:
        """Send ``text`` (``buttons`` under it); the message's id. Raise
        :class:`DeliveryError` when Telegram refuses it for good."""
        markup = self.keyboard(buttons) if buttons is not None and self.keyboard else None
        for attempt in range(1, NETWORK_ATTEMPTS + 1):
            try:
                sent = await self.bot.send_message(chat_id, text, message_thread_id=thread_id,
                                                   reply_markup=markup)
                return sent.message_id
            except ChatMigrated as e:
                raise ChatMovedError(f"migrated to {e.new_chat_id}", e.new_chat_id) from e
            except Forbidden as e:
                raise ChatBlockedError(e.message) from e
            except BadRequest as e:
                if "thread" in e.message.lower():
                    log.warning("topic %s of chat %d is gone: %s", thread_id, chat_id, e.message)
                raise DeliveryError(f"bad request: {e.message}") from e
            except RetryAfter as e:  # the limiter already waited and retried
                raise DeliveryError(f"rate limited after the limiter's retries: {e.message}"
                                    ) from e
            except NetworkError as e:  # timed out or connection lost: worth another attempt
                if attempt == NETWORK_ATTEMPTS:
                    raise DeliveryError(f"network: {e}") from e
                log.warning("digest to chat %d: %s; trying again", chat_id, e)
                await asyncio.sleep(NETWORK_RETRY_SECONDS)
            except TelegramError as e:
                raise DeliveryError(f"telegram: {e}") from e
        return None  # unreachable: the last attempt returns or raises
