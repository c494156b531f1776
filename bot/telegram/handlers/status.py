"""/status for the operators named in config: uptime, snapshot ages, counts."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.telegram.handlers.common import NEW_MESSAGES, Context, reply, service_of
from bot.telegram.permissions import is_operator
from bot.telegram.services import BotService


async def status(update: Update, context: Context) -> None:
    """/status: health for operators; a polite refusal for everyone else."""
    service = service_of(context)
    if not is_operator(update, service.settings):
        await reply(update, service.error_text("not_operator"))
        return
    await reply(update, await service.status_text())


def register_handlers(app: Application, service: BotService) -> None:
    """Register /status."""
    app.add_handler(CommandHandler("status", status, filters=NEW_MESSAGES))
