"""The gate every update passes first: counting, edited messages, the allow-list, flood.

Every request — a command, a button, any message in a private chat — counts against its
sender's and its chat's rate window (``FloodGuard.admit``); over it, one polite "slow down"
and then silence, before any handler spends work or a message on it.

Registered in group -1, so a stopped update never reaches a feature handler.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.telegram.flood import Verdict
from bot.telegram.handlers.common import Context, reply, sender_id, service_of
from bot.telegram.services import BotService

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
    if not is_request(update):
        return
    chat = update.effective_chat
    verdict = service.flood.admit(sender_id(update), chat.id if chat is not None else None)
    if verdict is Verdict.GO:
        return
    if verdict is Verdict.WARN and update.inline_query is not None:
        await update.inline_query.answer([], cache_time=0)
    elif verdict is Verdict.WARN:
        text = service.error_text("flood_rate", flavour="text")
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        else:
            await reply(update, service.error_text("flood_rate"))
    raise ApplicationHandlerStop


def is_request(update: Update) -> bool:
    """Whether the update asks the bot for something: a command, a button, a private message.

    Group chatter the bot does not answer is not a request and spends no one's budget.
    """
    if update.callback_query is not None or update.inline_query is not None:
        return True
    message = update.effective_message
    if message is None:
        return False
    text = message.text or message.caption or ""
    chat = update.effective_chat
    return text.startswith("/") or (chat is not None and chat.type == ChatType.PRIVATE)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the gate in group -1."""
    app.add_handler(TypeHandler(Update, gate), group=-1)
