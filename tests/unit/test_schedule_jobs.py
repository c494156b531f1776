"""Digest jobs on a real PTB JobQueue (no network: the application is never initialised)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram.ext import Application, CallbackContext, JobQueue

from bot.scheduling.keys import ScheduleKey
from bot.scheduling.slots import next_slot
from bot.telegram.digest_jobs import remove_job, schedule_job, sync_jobs

BERLIN_8 = ScheduleKey.from_texts("daily 08:00", "Europe/Berlin")
NEW_YORK_8 = ScheduleKey.from_texts("0 8 * * *", "america/new_york")
BERLIN_4H = ScheduleKey.from_texts("every 4h", "Europe/Berlin")


async def record_key(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Stand-in digest callback: remembers in bot_data which keys fired."""
    assert context.job is not None
    context.bot_data.setdefault("fired", []).append(context.job.data)


@pytest.fixture
async def job_queue() -> AsyncIterator[JobQueue[Any]]:
    application = Application.builder().token("123456:TEST-TOKEN").build()
    queue = application.job_queue
    assert queue is not None
    await queue.start()
    yield queue
    await queue.stop(wait=False)


def _digest_job_names(queue: JobQueue[Any]) -> list[str]:
    return sorted(job.name for job in queue.jobs() if job.name)


async def test_job_next_run_is_the_next_slot_in_the_chat_timezone(
    job_queue: JobQueue[Any],
) -> None:
    before = datetime.now(UTC)
    job = schedule_job(job_queue, NEW_YORK_8, record_key)
    after = datetime.now(UTC)
    assert job.next_t is not None
    assert job.next_t in {
        next_slot(NEW_YORK_8.schedule, NEW_YORK_8.timezone, before),
        next_slot(NEW_YORK_8.schedule, NEW_YORK_8.timezone, after),
    }
    assert job.next_t.astimezone(NEW_YORK_8.timezone).strftime("%H:%M") == "08:00"
    assert job.name == "digest|daily 08:00|America/New_York"


async def test_scheduling_the_same_key_twice_keeps_one_job(job_queue: JobQueue[Any]) -> None:
    schedule_job(job_queue, BERLIN_8, record_key)
    schedule_job(job_queue, ScheduleKey.from_texts("0 8 * * *", "europe/berlin"), record_key)
    assert _digest_job_names(job_queue) == ["digest|daily 08:00|Europe/Berlin"]


async def test_sync_keeps_exactly_the_wanted_keys(job_queue: JobQueue[Any]) -> None:
    schedule_job(job_queue, BERLIN_4H, record_key)
    jobs = sync_jobs(job_queue, [BERLIN_8, NEW_YORK_8, BERLIN_8], record_key)
    assert set(jobs) == {BERLIN_8, NEW_YORK_8}
    assert _digest_job_names(job_queue) == [
        "digest|daily 08:00|America/New_York",
        "digest|daily 08:00|Europe/Berlin",
    ]


async def test_sync_leaves_other_jobs_alone(job_queue: JobQueue[Any]) -> None:
    job_queue.run_repeating(record_key, interval=3600, name="cache-refresh")
    sync_jobs(job_queue, [], record_key)
    assert _digest_job_names(job_queue) == ["cache-refresh"]


async def test_removing_a_key_removes_its_job(job_queue: JobQueue[Any]) -> None:
    schedule_job(job_queue, BERLIN_4H, record_key)
    assert remove_job(job_queue, BERLIN_4H) is True
    assert remove_job(job_queue, BERLIN_4H) is False
    assert _digest_job_names(job_queue) == []


async def test_triggered_job_hands_its_key_to_the_callback(job_queue: JobQueue[Any]) -> None:
    job = schedule_job(job_queue, BERLIN_4H, record_key)
    application = job_queue.application
    await job.run(application)
    assert application.bot_data["fired"] == [BERLIN_4H]


def test_job_names_round_trip_to_keys() -> None:
    assert ScheduleKey.from_job_name(BERLIN_8.job_name) == BERLIN_8
    with pytest.raises(ValueError, match="not a digest job"):
        ScheduleKey.from_job_name("cache-refresh")
