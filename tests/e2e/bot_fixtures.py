"""Run the real bot (``run_bot``: polling, storage, handlers) against the fake Bot API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app.whale_round import WhaleReport, WhaleWatcher
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.market.source import MarketSource
from bot.telegram.alert_jobs import WATCHER_KEY, WHALE_JOB_NAME
from bot.telegram.app import run_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.flaky_source import FlakySource

PRIVATE = 501
GROUP = -100_777


@dataclass
class RunningBot:
    """The fake API, the source the bot reads and a stop switch."""

    api: FakeBotApi
    source: MarketSource
    stop: asyncio.Event
    task: asyncio.Task[None]


def bot_settings(settings: Settings, db: Path, **telegram: object) -> Settings:
    """Settings with the database in ``db`` and optional telegram overrides."""
    return settings.model_copy(update={
        "storage": settings.storage.model_copy(update={"url": f"sqlite:///{db}"}),
        "telegram": settings.telegram.model_copy(update=telegram),
    })


@contextlib.asynccontextmanager
async def running_bot(api: FakeBotApi, settings: Settings, source: MarketSource
                      ) -> AsyncIterator[RunningBot]:
    """Start ``run_bot`` polling ``api``; stop it and check it exited cleanly."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_bot(settings, source, stop=stop))
    await api.wait_for(lambda: bool(api.method_calls("getUpdates")) or task.done(), 20)
    if task.done():
        task.result()
    try:
        yield RunningBot(api, source, stop, task)
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


@contextlib.asynccontextmanager
async def serving(fake: FakeBotApi, monkeypatch: pytest.MonkeyPatch
                  ) -> AsyncIterator[FakeBotApi]:
    """``fake`` started, the bot pointed at it (token and URL from the environment); the
    test fails if the bot sent anything Telegram rejects."""
    await fake.start()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
    monkeypatch.setenv("TELEGRAM_API_URL", fake.base_url)
    fake.add_chat(PRIVATE, "private")
    fake.add_chat(GROUP, "supergroup", "Traders")
    yield fake
    await fake.stop()
    assert fake.violations == [], "the bot sent calls Telegram would reject"


@pytest.fixture
async def api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeBotApi]:
    """A started fake Bot API with a private chat and a supergroup."""
    async with serving(FakeBotApi(), monkeypatch) as fake:
        yield fake


async def run_job(app: Application, name: str, key: str) -> object:
    """Run the app's job ``name`` once, as the JobQueue would; ``bot_data[key]`` after."""
    assert app.job_queue is not None
    [job] = app.job_queue.get_jobs_by_name(name)
    await job.run(app)
    return app.bot_data[key]


async def run_whale_job(app: Application) -> WhaleReport:
    """Run the app's whale job once; the watcher's report."""
    watcher = await run_job(app, WHALE_JOB_NAME, WATCHER_KEY)
    assert isinstance(watcher, WhaleWatcher) and watcher.last_report is not None
    return watcher.last_report


def demo_source(settings: Settings, failure_rate: float = 0.0) -> FlakySource:
    """The demo market behind a switchable failure double."""
    return FlakySource(DemoSource(settings), failure_rate)


async def say(api: FakeBotApi, chat_id: int, text: str, user_id: int | None = None,
              timeout: float = 30) -> str:
    """Send ``text`` to the bot in ``chat_id``; the text of its next message there."""
    count = len(api.sent_to(chat_id))
    api.send_text(chat_id, text, user_id=user_id)
    return (await api.wait_sent(chat_id, count + 1, timeout=timeout))[count].text
