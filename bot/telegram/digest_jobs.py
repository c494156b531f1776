"""Digest jobs on PTB's JobQueue: one job per distinct (schedule, timezone), rebuilt at will.

The JobQueue is the transport's timer; :class:`bot.app.digest_runner.DigestRunner` does the
rounds. Each job carries its :class:`ScheduleKey` as ``job.data``; its callback asks the
runner to deliver the slot due now (found with :func:`bot.scheduling.slots.due_slot`). Triggers
are built with the timezone explicitly, because a CronTrigger instance ignores PTB's default
timezone. Jobs are named by the key and replaced, never duplicated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot
from telegram.ext import CallbackContext, Job, JobQueue

from bot.app.digest_runner import DigestRunner
from bot.app.service import MarketService
from bot.scheduling.keys import JOB_PREFIX, ScheduleKey
from bot.telegram.delivery import TelegramSender
from bot.telegram.services import BotService

log = logging.getLogger(__name__)

#: ``bot_data`` key of the application's :class:`DigestRunner`.
RUNNER_KEY = "digest_runner"
DEFAULT_MISFIRE_GRACE = timedelta(minutes=30)
DigestCallback = Callable[[CallbackContext[Any, Any, Any, Any]], Coroutine[Any, Any, object]]


def schedule_job(
    job_queue: JobQueue[Any],
    key: ScheduleKey,
    callback: DigestCallback,
    misfire_grace: timedelta = DEFAULT_MISFIRE_GRACE,
) -> Job[Any]:
    """Register the job for ``key``, replacing any job of the same name."""
    remove_job(job_queue, key)
    job_kwargs = {
        "trigger": key.schedule.trigger(key.timezone),
        # APScheduler's default of 1 s would drop a digest whenever the loop is busy.
        "misfire_grace_time": max(1, int(misfire_grace.total_seconds())),
        "coalesce": True,
    }
    return job_queue.run_custom(callback, job_kwargs=job_kwargs, data=key, name=key.job_name)


def remove_job(job_queue: JobQueue[Any], key: ScheduleKey) -> bool:
    """Remove the job for ``key``; True if there was one."""
    jobs = job_queue.get_jobs_by_name(key.job_name)
    for job in jobs:
        job.schedule_removal()
    return bool(jobs)


def sync_jobs(
    job_queue: JobQueue[Any],
    keys: Iterable[ScheduleKey],
    callback: DigestCallback,
    misfire_grace: timedelta = DEFAULT_MISFIRE_GRACE,
) -> dict[ScheduleKey, Job[Any]]:
    """Make the digest jobs exactly ``keys`` (deduplicated): add or replace, drop the rest."""
    wanted = dict.fromkeys(keys)
    names = {key.job_name for key in wanted}
    for job in job_queue.jobs():
        if job.name and job.name.startswith(JOB_PREFIX) and job.name not in names:
            log.info("removing digest job %s: no subscription uses it", job.name)
            job.schedule_removal()
    return {key: schedule_job(job_queue, key, callback, misfire_grace) for key in wanted}


def digest_runner(service: MarketService, bot: Bot,
                  clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> DigestRunner:
    """A runner whose digests go out through ``bot`` (and its rate limiter), each article's
    last message with the post's buttons."""
    keyboard = service.buttons if isinstance(service, BotService) else None
    return DigestRunner(service, TelegramSender(bot, keyboard), clock)


async def sync_digest_jobs(runner: DigestRunner, job_queue: JobQueue[Any] | None
                           ) -> dict[ScheduleKey, Job[Any]]:
    """Make the JobQueue hold exactly one job per key in use (misfire grace = catch-up)."""
    if job_queue is None:
        log.warning("no JobQueue: scheduled digests are off")
        return {}

    async def fire(context: CallbackContext[Any, Any, Any, Any]) -> None:
        job = context.job
        assert job is not None and isinstance(job.data, ScheduleKey)
        await runner.run_key(job.data)

    return sync_jobs(job_queue, await runner.keys(), fire,
                     max(runner.grace, timedelta(seconds=1)))


async def start_digest_jobs(runner: DigestRunner, job_queue: JobQueue[Any] | None) -> None:
    """Build the jobs, then recover in a one-off job so start-up is not held up."""
    await sync_digest_jobs(runner, job_queue)
    if job_queue is None:
        await runner.recover()
        return

    async def recover(context: CallbackContext[Any, Any, Any, Any]) -> None:
        await runner.recover()

    job_queue.run_once(recover, when=0, name="digest-recovery")
