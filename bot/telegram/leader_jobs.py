"""Scheduled jobs run by the scheduler leader only (``bot.storage.leader``).

Every process registers the same jobs in a :class:`LeaderJobQueue`; a job that fires in a
process that does not lead returns at once. On taking the lead a process re-sends the
deliveries the previous leader left pending, catches up the slots it never reached
(``DigestRunner.recover``: each (chat, slot) is claimed in the delivery log in the same
transaction as its staged messages) and makes sure it has a job for every schedule in the
database — a follower may have added one. On PostgreSQL two more leader jobs keep the
processes in step: the digest jobs follow the stored subscriptions, and updates a dead process
stored but never answered are handed to the handlers.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, Job, JobQueue

from bot.scheduling.keys import JOB_PREFIX
from bot.storage.leader import Leadership
from bot.telegram.digest_jobs import RUNNER_KEY, schedule_job
from bot.telegram.handlers.common import SERVICE_KEY
from bot.telegram.inbox import redeliver_pending

log = logging.getLogger(__name__)
#: ``bot_data`` key of the process's :class:`Leadership`.
LEADER_KEY = "leadership"
#: How often the leader re-reads the schedules in use (a follower may have added one).
JOBS_SYNC_EVERY = timedelta(seconds=30)
#: An update still pending this long after it came is an orphan of a dead process.
ORPHAN_AGE = timedelta(seconds=60)
ORPHANS_EVERY = timedelta(seconds=30)


class LeaderJobQueue(JobQueue[Any]):
    """PTB's JobQueue whose jobs run only while this process is the scheduler leader."""

    def __init__(self, leadership: Leadership) -> None:
        super().__init__()
        self.leadership = leadership

    @staticmethod
    async def job_callback(job_queue: JobQueue[Any], job: Job[Any]) -> None:
        """Run ``job`` if this process leads; otherwise skip it (the leader runs it)."""
        leadership = getattr(job_queue, "leadership", None)
        if leadership is not None and not leadership.is_leader:
            log.debug("job %s skipped: %s is not the scheduler leader", job.name,
                      leadership.name)
            return
        await JobQueue.job_callback(job_queue, job)


async def ensure_digest_jobs(app: Application) -> int:
    """Add a job for each stored schedule the queue lacks, drop unused ones (never replace
    a job: its next run stays put); how many were added."""
    runner = app.bot_data.get(RUNNER_KEY)
    job_queue = app.job_queue
    if runner is None or job_queue is None:
        return 0
    keys = await runner.keys()
    names = {key.job_name for key in keys}
    present = {job.name for job in job_queue.jobs() if job.name}
    for job in job_queue.jobs():
        if job.name and job.name.startswith(JOB_PREFIX) and job.name not in names:
            job.schedule_removal()
    missing = [key for key in keys if key.job_name not in present]
    fire = _digest_callback(app)
    for key in missing:
        schedule_job(job_queue, key, fire, max(runner.grace, timedelta(seconds=1)))
    return len(missing)


def _digest_callback(app: Application) -> Any:
    async def fire(context: CallbackContext[Any, Any, Any, Any]) -> None:
        job = context.job
        assert job is not None
        await app.bot_data[RUNNER_KEY].run_key(job.data)

    return fire


async def take_the_lead(app: Application) -> None:
    """What a process does on becoming the leader: recover, then complete its digest jobs."""
    runner = app.bot_data.get(RUNNER_KEY)
    if runner is not None:
        recovery = await runner.recover()
        log.warning("took the lead: %d pending deliveries re-sent, %d caught up, %d skipped",
                    recovery.resent, recovery.caught_up, recovery.skipped)
    added = await ensure_digest_jobs(app)
    if added:
        log.info("took the lead: %d digest job(s) added", added)


async def on_leadership(app: Application, leading: bool) -> None:
    """The lease changed hands: on gaining it, take the lead (in the background)."""
    if leading:
        app.create_task(take_the_lead(app), name="take-the-lead")


async def _sync_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await ensure_digest_jobs(context.application)


async def _orphans_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    service = context.bot_data[SERVICE_KEY]
    await redeliver_pending(context.application, service.error_text("internal"),
                            min_age=ORPHAN_AGE)


def start_shared_database_jobs(app: Application) -> None:
    """The leader's jobs that keep several processes on one database in step."""
    if app.job_queue is None:
        return
    app.job_queue.run_repeating(_sync_job, interval=JOBS_SYNC_EVERY, first=JOBS_SYNC_EVERY,
                                name="digest-jobs-sync")
    app.job_queue.run_repeating(_orphans_job, interval=ORPHANS_EVERY, first=ORPHANS_EVERY,
                                name="inbox-orphans")
