"""The alert job on PTB's JobQueue: one repeating job runs :class:`AlertRound` every
``[alerts] check_seconds`` (a minute by default); alert messages go out through
:class:`bot.telegram.delivery.TelegramSender`, so through the bot's rate limiter."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Bot
from telegram.ext import CallbackContext, Job, JobQueue

from bot.app.alert_round import AlertRound
from bot.app.service import MarketService
from bot.telegram.delivery import TelegramSender

log = logging.getLogger(__name__)
#: ``bot_data`` key of the application's :class:`AlertRound`.
ROUND_KEY = "alert_round"
JOB_NAME = "alert-round"


def alert_round(service: MarketService, bot: Bot,
                clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> AlertRound:
    """A round whose alert messages go out through ``bot``."""
    return AlertRound(service, TelegramSender(bot), clock)


def start_alert_job(round_: AlertRound, job_queue: JobQueue[Any] | None) -> Job[Any] | None:
    """The repeating job (replacing one of the same name); ``None`` without a JobQueue."""
    if job_queue is None:
        log.warning("no JobQueue: price alerts are not checked")
        return None
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()

    async def check(context: CallbackContext[Any, Any, Any, Any]) -> None:
        await round_.run()

    every = round_.settings.check_seconds
    return job_queue.run_repeating(check, interval=every, first=every, name=JOB_NAME,
                                   job_kwargs={"coalesce": True, "max_instances": 1,
                                               "misfire_grace_time": max(1, int(every))})
