"""The alert jobs on PTB's JobQueue: one repeating job runs :class:`AlertRound` every
``[alerts] check_seconds`` (a minute by default), another the :class:`WhaleWatcher` every
``[whales.watch] poll_seconds``; both send through one
:class:`bot.app.push_delivery.PushDelivery` over
:class:`bot.telegram.delivery.TelegramSender`, so through the bot's rate limiter."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Bot
from telegram.ext import CallbackContext, Job, JobQueue

from bot.app.alert_round import AlertRound
from bot.app.service import MarketService
from bot.app.whale_round import WhaleWatcher
from bot.telegram.delivery import TelegramSender

log = logging.getLogger(__name__)
#: ``bot_data`` key of the application's :class:`AlertRound`.
ROUND_KEY = "alert_round"
JOB_NAME = "alert-round"
#: ``bot_data`` key of the application's :class:`WhaleWatcher`.
WATCHER_KEY = "whale_watcher"
WHALE_JOB_NAME = "whale-watch"


def alert_round(service: MarketService, bot: Bot,
                clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> AlertRound:
    """A round whose alert messages go out through ``bot``."""
    return AlertRound(service, TelegramSender(bot), clock)


def whale_watcher(round_: AlertRound) -> WhaleWatcher:
    """The whale watcher, sending through the alert round's delivery (one path, one
    in-flight set)."""
    return WhaleWatcher(round_.service, round_.sender, round_.clock, round_.delivery)


def start_alert_job(round_: AlertRound, job_queue: JobQueue[Any] | None) -> Job[Any] | None:
    """The repeating job (replacing one of the same name); ``None`` without a JobQueue."""
    return _repeat(job_queue, JOB_NAME, round_.settings.check_seconds, round_.run,
                   "price alerts are not checked")


def start_whale_job(watcher: WhaleWatcher, job_queue: JobQueue[Any] | None) -> Job[Any] | None:
    """The whale watcher's repeating job (every ``[whales.watch] poll_seconds``)."""
    return _repeat(job_queue, WHALE_JOB_NAME, watcher.settings.poll_seconds, watcher.run,
                   "whales are not watched")


def _repeat(job_queue: JobQueue[Any] | None, name: str, every: float,
            run: Callable[[], Awaitable[object]], without: str) -> Job[Any] | None:
    if job_queue is None:
        log.warning("no JobQueue: %s", without)
        return None
    for job in job_queue.get_jobs_by_name(name):
        job.schedule_removal()

    async def check(context: CallbackContext[Any, Any, Any, Any]) -> None:
        await run()

    return job_queue.run_repeating(check, interval=every, first=every, name=name,
                                   job_kwargs={"coalesce": True, "max_instances": 1,
                                               "misfire_grace_time": max(1, int(every))})
