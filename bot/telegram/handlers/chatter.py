"""Last-resort handlers: unknown commands and unknown buttons (free text is follow-up's).

Registered after every feature module so those (e.g. follow-up questions) see
messages first. In groups only mentions and replies to the bot get an answer.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.errors import UnknownSymbolError
from bot.telegram.handlers.common import NEW_MESSAGES, Context, post_view, reply, service_of
from bot.telegram.services import BotService


async def unknown_command(update: Update, context: Context) -> None:
    """A command no handler took: a coin the venue lists ("/doge") gets its quick take;
    anything else, in private chats or when addressed to us, "did you mean /btc?"."""
    message = update.effective_message
    if message is None or message.chat.type == ChatType.CHANNEL:
        return
    first = (message.text or "").split()[0] if (message.text or "").split() else ""
    username = (context.bot.username or "").lower()
    name, _, to = first.lstrip("/").partition("@")
    if to and to.lower() != username:
        return  # another bot's command
    service = service_of(context)
    answer = message.chat.type == ChatType.PRIVATE or bool(to)
    try:
        coin, suggestion = service.command_coin(name)
    except UnknownSymbolError:  # a real coin nobody lists: worded by the error handler
        if answer:
            raise
        return
    if coin is not None:
        await post_view(update, context, coin, "quick")
    elif answer:
        await reply(update, service.error_text("unknown_command", suggestion=suggestion))


async def unknown_button(update: Update, context: Context) -> None:
    """A tap on a button nobody handles (old layouts, forged data): answered politely."""
    if update.callback_query is not None:
        text = service_of(context).error_text("stale_button", flavour="text")
        await update.callback_query.answer(text)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the fallbacks (must come after every feature module)."""
    app.add_handler(MessageHandler(NEW_MESSAGES & filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(unknown_button))
