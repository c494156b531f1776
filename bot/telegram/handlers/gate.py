"""The gate every update passes first: counting, edited messages, the allow-list.

Registered in group -1, so a stopped update never reaches a feature handler.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.telegram.handlers.common import Context, service_of
from bot.telegram.services import MarketService

log = logging.getLogger(__name__)


def allowed(update: Update, allow_list: tuple[int, ...]) -> bool:
    """Whether the update's chat or user is on the allow-list (empty list: everyone)."""
    if not allow_list:
        return True
    chat, user = update.effective_chat, update.effective_user
    return (chat is not None and chat.id in allow_list) or (
        user is not None and user.id in allow_list
    )


async def gate(update: Update, context: Context) -> None:
    """Count the update; stop edited messages and chats outside the allow-list."""
    service = service_of(context)
    service.counters.updates += 1
    if update.edited_message is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    if not allowed(update, service.settings.telegram.allowed_chats):
        log.info("ignoring update %d from a chat outside the allow-list", update.update_id)
        raise ApplicationHandlerStop


def register_handlers(app: Application, service: MarketService) -> None:
    """Register the gate in group -1."""
    app.add_handler(TypeHandler(Update, gate), group=-1)
