"""Who may do what: operators (config) and chat administrators (anonymous ones included)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.config import Settings

log = logging.getLogger(__name__)
_ADMIN_STATUSES = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


def is_operator(update: Update, settings: Settings) -> bool:
    """Whether the sender is one of the operators named in ``[telegram] operators``."""
    user = update.effective_user
    return user is not None and user.id in settings.telegram.operators


async def is_chat_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender may administer the chat.

    Private chats: always. Channel posts and messages sent on behalf of the chat
    (anonymous group admins) count as admins; otherwise ``getChatMember`` decides.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE or chat.type == ChatType.CHANNEL:
        return True
    if message is not None and message.sender_chat is not None and (
        message.sender_chat.id == chat.id
    ):
        return True
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as e:
        log.warning("admin check failed in chat %d: %s", chat.id, e)
        return False
    return member.status in _ADMIN_STATUSES
