"""/trackrecord [SYMBOL] and the job that grades published calls as their horizons pass.

Registering this module adds a start-up hook: one grading pass before the bot answers
(calls that came due while it was down are graded after a restart), then a repeating
job every :data:`GRADE_EVERY`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler

from bot.app.trackrecord import grade_due
from bot.errors import StorageError
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    SERVICE_KEY,
    STARTUP_HOOKS,
    Context,
    heavy_work,
    reply,
    service_of,
)
from bot.telegram.services import BotService

log = logging.getLogger(__name__)
GRADE_EVERY = timedelta(minutes=15)
GRADING_JOB = "grade-track-record"
#: Longest the start-up grading pass may hold the bot's start (a slow venue).
STARTUP_GRADING_SECONDS = 30.0
#: Words after /trackrecord asking for the picture instead of the text.
PICTURE_WORDS = frozenset({"chart", "picture"})


async def trackrecord(update: Update, context: Context) -> None:
    """/trackrecord [SYMBOL] [chart]: how the published calls fared, beside the baselines
    (``chart``: as a picture — calibration and hit rate over time)."""
    service = service_of(context)
    args = context.args or []
    coins = [a for a in args if a.lower() not in PICTURE_WORDS]
    symbol = service.symbols.resolve(coins[0]) if coins else None
    if len(coins) == len(args):
        await reply(update, await service.track_record_text(symbol))
        return
    await _send_picture(update, context, symbol)


async def _send_picture(update: Update, context: Context, symbol: str | None) -> None:
    service = service_of(context)
    message = update.effective_message
    async with heavy_work(update, context, ChatAction.UPLOAD_PHOTO) as go:
        if not go or message is None:
            return
        picture = await service.track_record_picture(symbol)
        if isinstance(picture, str):
            await reply(update, picture)
        else:
            await service.reply_chart(message, picture)


async def _grade(service: BotService) -> None:
    try:
        await grade_due(service.source, service.calls)
    except StorageError as e:
        log.warning("track record: grading failed: %s", e)


async def _grade_job(context: Context) -> None:
    """Job: grade the calls whose horizon has passed."""
    await _grade(context.bot_data[SERVICE_KEY])


async def start_grading(app: Application) -> None:
    """Start-up hook: grade what came due while the bot was down, then every 15 minutes."""
    try:
        await asyncio.wait_for(_grade(app.bot_data[SERVICE_KEY]), STARTUP_GRADING_SECONDS)
    except TimeoutError:
        log.warning("track record: start-up grading took over %.0f s; the job will go on",
                    STARTUP_GRADING_SECONDS)
    if app.job_queue is not None:
        app.job_queue.run_repeating(_grade_job, interval=GRADE_EVERY, first=GRADE_EVERY,
                                    name=GRADING_JOB)


def register_handlers(app: Application, service: BotService) -> None:
    """Register /trackrecord and the grading start-up hook."""
    app.add_handler(CommandHandler("trackrecord", trackrecord, filters=NEW_MESSAGES))
    app.bot_data.setdefault(STARTUP_HOOKS, []).append(start_grading)
