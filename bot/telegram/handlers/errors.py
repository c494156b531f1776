"""The one error handler: every failure of a handler is mapped to its reply here.

Handlers let the bot's own errors propagate; :func:`bot.app.errors.failure_reply` says what
to answer. Expected failures (unknown coin, venue down, unusable data) get their polite
reply and a warning in the log; anything else is logged with its traceback and answered
with the generic apology.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.app.errors import failure_reply
from bot.telegram.handlers.common import Context, command_of, service_of
from bot.telegram.services import BotService

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the failure, then answer it as :func:`failure_reply` says."""
    failure = failure_reply(context.error)
    service = service_of(context)
    if failure.expected:
        log.warning("%s while answering: %s", failure.kind, context.error)
    else:
        log.error("unhandled error while processing an update", exc_info=context.error)
        service.counters.errors += 1
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    query = update.callback_query
    message = update.effective_message
    try:
        if query is not None and failure.expected and isinstance(message, Message):
            await message.reply_text(service.error_text("button_failed"))
        elif query is not None:
            await query.answer(service.error_text("internal", flavour="text"))
        elif failure.expected and message is not None:
            await message.reply_text(service.error_text(
                failure.kind, command=command_of(update), **failure.details))
        else:
            await context.bot.send_message(update.effective_chat.id,
                                           service.error_text("internal"))
    except TelegramError as e:  # answering may itself fail (chat gone, query answered)
        log.warning("could not tell the user about the error: %s", e)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the error handler."""
    app.add_error_handler(on_error)
