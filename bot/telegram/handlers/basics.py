"""/start and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.telegram.handlers.common import NEW_MESSAGES, Context, reply, service_of
from bot.telegram.services import BotService


async def start(update: Update, context: Context) -> None:
    """/start: what the bot does and what to try first."""
    service = service_of(context)
    await reply(update, service.text("telegram/start.j2", symbols=service.settings.symbol_names))


async def help_command(update: Update, context: Context) -> None:
    """/help: every command with an example."""
    service = service_of(context)
    await reply(update, service.text("telegram/help.j2", commands=service.commands()))


def register_handlers(app: Application, service: BotService) -> None:
    """Register /start and /help."""
    app.add_handler(CommandHandler("start", start, filters=NEW_MESSAGES))
    app.add_handler(CommandHandler("help", help_command, filters=NEW_MESSAGES))
