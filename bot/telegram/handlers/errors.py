"""The one global error handler: log with the traceback, then answer politely."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.telegram.handlers.common import Context, service_of
from bot.telegram.services import BotService

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the exception with its traceback and tell the user something went wrong."""
    log.error("unhandled error while processing an update", exc_info=context.error)
    service = service_of(context)
    service.counters.errors += 1
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(service.error_text("internal", flavour="text"))
        else:
            await context.bot.send_message(update.effective_chat.id,
                                           service.error_text("internal"))
    except TelegramError as e:  # answering may itself fail (chat gone, query answered)
        log.warning("could not tell the user about the error: %s", e)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the error handler."""
    app.add_error_handler(on_error)
