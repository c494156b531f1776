"""Digest jobs on PTB's JobQueue: one job per distinct (schedule, timezone), rebuilt at will.

Each job carries its :class:`ScheduleKey` as ``job.data``; the callback finds the due
subscriptions for that key and the slot with :func:`bot.scheduling.slots.due_slot`. Triggers
are built with the timezone explicitly, because a CronTrigger instance ignores PTB's default
timezone. Jobs are named by the key and replaced, never duplicated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable
from datetime import timedelta
from typing import Any

from telegram.ext import CallbackContext, Job, JobQueue

from bot.scheduling.keys import JOB_PREFIX, ScheduleKey

log = logging.getLogger(__name__)

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
