"""Jobs run in the scheduler leader only; taking the lead completes the digest jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram.ext import ApplicationBuilder, CallbackContext, Job

from bot.scheduling.keys import ScheduleKey
from bot.storage.leader import SoleLeader
from bot.telegram.digest_jobs import RUNNER_KEY
from bot.telegram.leader_jobs import LeaderJobQueue, ensure_digest_jobs


class Follower(SoleLeader):
    """A process that does not lead (until told)."""

    def __init__(self) -> None:
        super().__init__("host-b:2")
        self.is_leader = False


async def test_a_job_fires_only_in_the_process_that_leads() -> None:
    leadership = Follower()
    queue = LeaderJobQueue(leadership)
    app = ApplicationBuilder().token("123456:TEST").job_queue(queue).build()
    ran: list[str] = []

    async def digest(context: CallbackContext[Any, Any, Any, Any]) -> None:
        ran.append("digest")

    job = Job(digest, name="digest:daily 08:00@UTC")
    await LeaderJobQueue.job_callback(queue, job)
    skipped = list(ran)
    leadership.is_leader = True
    await LeaderJobQueue.job_callback(queue, job)
    assert app.job_queue is queue and skipped == []
    assert ran == ["digest"]


class Runner:
    """The digest runner's side that job completion reads: the keys in use, the grace."""

    def __init__(self, *schedules: str) -> None:
        self.schedules = schedules
        self.grace = timedelta(minutes=30)

    async def keys(self) -> set[ScheduleKey]:
        return {ScheduleKey.from_texts(s, "UTC") for s in self.schedules}


async def test_taking_the_lead_adds_missing_digest_jobs_and_keeps_existing_ones() -> None:
    queue = LeaderJobQueue(SoleLeader())
    app = ApplicationBuilder().token("123456:TEST").job_queue(queue).build()
    app.bot_data[RUNNER_KEY] = Runner("daily 08:00")
    await ensure_digest_jobs(app)
    [first] = queue.jobs()
    app.bot_data[RUNNER_KEY] = Runner("daily 08:00", "hourly")  # a follower added one
    added = await ensure_digest_jobs(app)
    jobs_then = {job.name: job for job in queue.jobs()}
    app.bot_data[RUNNER_KEY] = Runner("hourly")  # the 08:00 subscription went away
    await ensure_digest_jobs(app)
    names_at_last = sorted(job.name or "" for job in queue.jobs() if not job.removed)
    assert added == 1
    assert jobs_then[first.name or ""] is first  # not replaced: its next run stays put
    assert names_at_last == [ScheduleKey.from_texts("hourly", "UTC").job_name]
