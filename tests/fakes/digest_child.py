"""A bot process for restart and crash tests: one job, then exit (or be killed mid-way).

    python -m tests.fakes.digest_child fanout DB SLOT_ISO     # fan ``every 4h`` UTC out at SLOT
    python -m tests.fakes.digest_child next-runs DB NOW_ISO   # print jobs and next runs as JSON

``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_URL`` point at a fake Bot API; the market is the
demo market.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime

from bot.app.codec import ANALYSIS_CODEC
from bot.config import load_settings
from bot.market.demo import DemoSource
from bot.scheduling.keys import ScheduleKey
from bot.storage import Storage
from bot.telegram.app import build_application
from bot.telegram.digest_jobs import digest_runner, sync_digest_jobs
from bot.telegram.handlers.common import SERVICE_KEY


async def main(mode: str, db: str, when_iso: str) -> None:
    """Open the database, build the bot and do ``mode``."""
    settings = load_settings()
    when = datetime.fromisoformat(when_iso)
    storage = await Storage.open(db, codec=ANALYSIS_CODEC)
    app = build_application(settings, DemoSource(settings), storage)
    async with app:
        runner = digest_runner(app.bot_data[SERVICE_KEY], app.bot, clock=lambda: when)
        if mode == "fanout":
            print("fanning out", flush=True)
            await runner.run_key(ScheduleKey.from_texts("every 4h", "UTC"))
        else:
            jobs = await sync_digest_jobs(runner, app.job_queue)
            subs = await storage.subscriptions.active()
            runs = {str(k): v.isoformat() for k, v in runner.next_runs(subs).items()}
            print(json.dumps({"jobs": sorted(j.name for j in jobs.values() if j.name),
                              "next_runs": runs}))
    await storage.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
