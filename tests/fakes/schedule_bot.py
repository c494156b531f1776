"""Run the real Application against a fake Bot API with access to its digest runner and jobs.

Like ``run_bot`` (same ``build_application`` and ``start_up``), but the test keeps the
``Application`` so it can fire digest jobs at a chosen instant instead of waiting for them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import Application, Job

from bot.app.codec import ANALYSIS_CODEC
from bot.app.digest_runner import DigestRunner
from bot.app.digests import FanoutReport
from bot.config import Settings
from bot.market.source import MarketSource
from bot.scheduling.keys import ScheduleKey
from bot.storage import Storage
from bot.telegram.app import build_application, start_receiving, start_up
from bot.telegram.digest_jobs import RUNNER_KEY, digest_runner
from bot.telegram.shutdown import shut_down
from tests.fakes.fake_bot_api import FakeBotApi

#: Tests pick the next slot after now + QUIET, so the real JobQueue never fires it (nor does
#: start-up catch it up) while the test drives the slot itself — even when a test runs a
#: few seconds before a slot boundary on a slow machine.
QUIET = timedelta(minutes=10)


@asynccontextmanager
async def running_app(api: FakeBotApi, settings: Settings, source: MarketSource, db: Path,
                      clock: datetime | None = None) -> AsyncIterator[Application]:
    """A polling Application on ``db``; ``clock`` fixes the digest runner's "now"."""
    storage = await Storage.open(db, codec=ANALYSIS_CODEC)
    app = build_application(settings, source, storage, token=api.token)
    if clock is not None:
        app.bot_data[RUNNER_KEY] = digest_runner(app.bot_data["market_service"], app.bot,
                                                 clock=lambda: clock)
    try:
        async with app:
            await start_up(app)
            await app.start()
            assert app.updater is not None
            await start_receiving(app)
            try:
                yield app
            finally:
                await shut_down(app)
                await app.updater.stop()
                await app.stop()
    finally:
        await storage.close()


def runner_of(app: Application) -> DigestRunner:
    """The app's digest runner."""
    runner = app.bot_data[RUNNER_KEY]
    assert isinstance(runner, DigestRunner)
    return runner


def digest_jobs(app: Application) -> dict[str, Job[Any]]:
    """The digest jobs by name."""
    assert app.job_queue is not None
    return {job.name: job for job in app.job_queue.jobs()
            if job.name and isinstance(job.data, ScheduleKey)}


async def fire(app: Application, job_name: str, at: datetime) -> FanoutReport | None:
    """Run the job ``job_name`` as if the scheduler fired it at ``at``."""
    runner = runner_of(app)
    runner.clock = lambda: at
    runner.last_report = None
    job = digest_jobs(app)[job_name]
    await job.run(app)
    return runner.last_report
