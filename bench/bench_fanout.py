"""Digest fan-out to N subscribed chats through the fake Bot API with Telegram's limits on.

    .venv/bin/python bench/bench_fanout.py [--chats 10000] [--group-share 0.5]

The market comes from the live ccxt source against the fake exchange, so upstream venue
requests are real HTTP requests, counted by the fake. Reports: sustained messages/s (goal
>= 28 of Telegram's 30), 429s answered by the fake and how many reached a delivery
(unhandled, goal 0), chats that got less than the full digest (lost, goal 0), and venue
requests for the round versus a round with a single subscriber (goal: equal).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app.codec import ANALYSIS_CODEC
from bot.app.digests import FanoutReport
from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from bot.scheduling.keys import ScheduleKey
from bot.scheduling.slots import next_slot
from bot.storage import Storage
from bot.telegram.app import build_application
from bot.telegram.digest_jobs import digest_runner
from bot.telegram.handlers.common import SERVICE_KEY
from tests.e2e.bot_fixtures import bot_settings
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.fake_exchange import FakeExchange, running_fake_exchange
from tests.fakes.telegram_limits import SendLimits

RATE_GOAL = 28.0
KEY = ScheduleKey.from_texts("every 4h", "UTC")


async def _round(api: FakeBotApi, fx: FakeExchange, conf: Settings, chats: list[int]
                 ) -> tuple[FanoutReport, int, float]:
    """Subscribe ``chats`` in a fresh database and fan one slot out; (report, venue requests,
    seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        storage = await Storage.open(db, codec=ANALYSIS_CODEC)
        for chat in chats:
            await storage.subscriptions.add(chat, None, ("BTC",), KEY.schedule.text,
                                            created_at=datetime.now(UTC) - timedelta(days=1))
        live = fx.settings(bot_settings(conf, db), retries=0, backoff_seconds=0.0,
                           timeout_seconds=10.0)
        source = CcxtSource(live)
        await source.start()
        fx.reset_counts()
        slot = next_slot(KEY.schedule, KEY.timezone, datetime.now(UTC))
        try:
            app = build_application(live, source, storage, token=api.token)
            async with app:
                runner = digest_runner(app.bot_data[SERVICE_KEY], app.bot,
                                       clock=lambda: slot + timedelta(seconds=1))
                started = time.perf_counter()
                report = await runner.run_key(KEY)
                elapsed = time.perf_counter() - started
        finally:
            await source.close()
            await storage.close()
    assert report is not None
    return report, fx.request_count(), elapsed


async def main(chat_count: int, group_share: float) -> None:
    """Run the single-subscriber round, then the N-chat round, and print the figures."""
    logging.basicConfig(level=logging.WARNING)
    conf = load_settings()
    api = FakeBotApi(limits=SendLimits())
    await api.start()
    os.environ["TELEGRAM_BOT_TOKEN"] = api.token
    os.environ["TELEGRAM_API_URL"] = api.base_url
    groups = int(chat_count * group_share)
    chats = [-1_000_000_000 - i for i in range(groups)]
    chats += [1_000_000 + i for i in range(chat_count - groups)]
    for chat in [*chats, 42]:
        api.add_chat(chat, "supergroup" if chat < 0 else "private")
    try:
        async with running_fake_exchange() as fx:
            _, single_requests, _ = await _round(api, fx, conf, [42])
            api.sent.clear()
            api.limits = SendLimits()
            report, round_requests, elapsed = await _round(api, fx, conf, chats)
    finally:
        await api.stop()
    per_chat = Counter(s.chat_id for s in api.sent)
    expected = report.messages // max(report.sent, 1)
    lost = sum(1 for chat in chats if per_chat[chat] < expected)
    times = sorted(s.at for s in api.sent)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else 0.0
    unhandled = sum(1 for f in report.failures if "rate limited" in f)
    assert api.limits is not None
    print(f"chats: {chat_count} ({groups} groups), messages: {len(api.sent)} "
          f"({expected} per digest), round: {elapsed:.1f}s")
    print(f"sustained messages/s: {rate:.2f} (goal >= {RATE_GOAL}: "
          f"{'met' if rate >= RATE_GOAL else 'MISSED'})")
    print(f"429s answered by the fake: {api.limits.rejected}, unhandled: {unhandled} "
          f"(goal 0; the rate limiter is the only retry layer)")
    print(f"lost (chats short of the full digest): {lost} (goal 0); failed deliveries: "
          f"{report.failed}")
    print(f"venue requests: round {round_requests} vs single subscriber {single_requests} "
          f"(ratio {round_requests / max(single_requests, 1):.2f}, goal 1.00)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--group-share", type=float, default=0.5)
    args = parser.parse_args()
    asyncio.run(main(args.chats, args.group_share))
