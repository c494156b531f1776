"""Last-resort handlers: free text addressed to the bot, unknown commands, unknown buttons.

Registered after every feature module so those (e.g. follow-up questions) see
messages first. In groups only mentions and replies to the bot get an answer.
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.errors import UnknownSymbolError
from bot.telegram.handlers.common import NEW_MESSAGES, Context, post_view, reply, service_of
from bot.telegram.services import BotService

_WORD = re.compile(r"[$#]?[A-Za-z][A-Za-z0-9]{1,14}")


def addressed_to_bot(message: Message, username: str, bot_id: int) -> bool:
    """Private chat, a mention of the bot, or a reply to one of the bot's messages."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    text = (message.text or message.caption or "").lower()
    if username and f"@{username.lower()}" in text:
        return True
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and (
        replied.from_user.id == bot_id
    )


async def free_text(update: Update, context: Context) -> None:
    """Text addressed to the bot: a quick take when it names a coin, else a hint."""
    message = update.effective_message
    if message is None or message.chat.type == ChatType.CHANNEL:
        return
    if not addressed_to_bot(message, context.bot.username or "", context.bot.id):
        return
    service = service_of(context)
    for word in _WORD.findall(message.text or ""):
        if context.bot.username and word.lower() == context.bot.username.lower():
            continue
        try:
            symbol = service.symbols.resolve(word)
        except UnknownSymbolError:
            continue
        await post_view(update, context, symbol, "quick", symbol.lower())
        return
    await reply(update, service.error_text("hint"))


async def unknown_command(update: Update, context: Context) -> None:
    """A command we do not know: answered in private chats or when addressed to us."""
    message = update.effective_message
    if message is None or message.chat.type == ChatType.CHANNEL:
        return
    first = (message.text or "").split()[0] if (message.text or "").split() else ""
    username = (context.bot.username or "").lower()
    addressed = "@" in first and first.lower().endswith(f"@{username}")
    if message.chat.type == ChatType.PRIVATE or addressed:
        await reply(update, service_of(context).error_text("unknown_command"))


async def unknown_button(update: Update, context: Context) -> None:
    """A tap on a button nobody handles (old layouts, forged data): answered politely."""
    if update.callback_query is not None:
        text = service_of(context).error_text("stale_button", flavour="text")
        await update.callback_query.answer(text)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the fallbacks (must come after every feature module)."""
    app.add_handler(MessageHandler(NEW_MESSAGES & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND, free_text))
    app.add_handler(CallbackQueryHandler(unknown_button))
