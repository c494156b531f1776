"""Upstream venue requests of one alert round with 1 alert and with 10,000, side by side.

    .venv/bin/python bench/bench_alerts.py [--alerts 10000]

The market comes from the live ccxt source against the fake exchange, so upstream requests
are real HTTP requests, counted by the fake. Each round starts with a cold snapshot cache (a
fresh source), after one warm-up round that loads the venues' market lists. Alerts sit on the
configured coins, spread over 500 chats, at levels no price reaches (the round evaluates all
of them). Goal: ratio 1.00 (alerts add no requests).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app.alert_round import AlertReport, AlertRound
from bot.app.codec import ANALYSIS_CODEC
from bot.app.service import MarketService
from bot.app.views import PostButtons
from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from bot.storage import Storage
from bot.storage.alerts import NewAlert
from tests.e2e.bot_fixtures import bot_settings
from tests.fakes.fake_exchange import FakeExchange, running_fake_exchange

CHATS = 500


class NullSender:
    """Counts messages; sends nothing."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, chat_id: int, thread_id: int | None, text: str,
                   buttons: PostButtons | None = None) -> int | None:
        """Count one message."""
        self.sent += 1
        return None


async def _round(fx: FakeExchange, conf: Settings, symbols: list[str], count: int
                 ) -> tuple[AlertReport, int, float]:
    """Store ``count`` alerts over ``symbols`` in a fresh database and run one round;
    (report, upstream requests, seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        storage = await Storage.open(db, codec=ANALYSIS_CODEC)
        now = datetime.now(UTC)
        for i in range(count):
            await storage.alerts.add(NewAlert(
                1_000 + i % CHATS, None, symbols[i % len(symbols)], "above", 1e12, None, None,
                False, now, None))
        live = fx.settings(bot_settings(conf, db), retries=0, backoff_seconds=0.0,
                           timeout_seconds=10.0)
        source = CcxtSource(live)
        await source.start()
        fx.reset_counts()
        try:
            service = MarketService(live, source, storage)
            started = time.perf_counter()
            report = await AlertRound(service, NullSender()).run()
            elapsed = time.perf_counter() - started
        finally:
            await source.close()
            await storage.close()
    return report, fx.request_count(), elapsed


async def main(count: int) -> None:
    """Rounds with one alert per coin and with ``count`` alerts; print them side by side."""
    logging.basicConfig(level=logging.WARNING)
    conf = load_settings()
    async with running_fake_exchange() as fx:
        await _round(fx, conf, ["BTC"], 1)  # warm-up: the first start loads market lists
        for symbols in (["BTC"], list(conf.symbol_names)):
            few, few_requests, few_s = await _round(fx, conf, symbols, len(symbols))
            many, many_requests, many_s = await _round(fx, conf, symbols, count)
            print(f"coins {','.join(symbols)}: {few.alerts} alert(s) → {few_requests} upstream "
                  f"requests ({few_s * 1000:.0f} ms) | {many.alerts} alerts → {many_requests} "
                  f"upstream requests ({many_s * 1000:.0f} ms) | ratio "
                  f"{many_requests / max(few_requests, 1):.2f} (goal 1.00)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(main(args.alerts))
