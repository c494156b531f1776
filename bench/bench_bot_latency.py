"""Update-to-reply latency of /btc through the fake Bot API, resident memory, and a soak.

    .venv/bin/python bench/bench_bot_latency.py [--warm 300] [--soak 10000]

Warm: the demo market with the analysis cached (goal p50 <= 10 ms). Cold: the live
ccxt source against the fake exchange, first request per symbol after start-up.
Memory: peak resident set of this process with the venues loaded (goal <= 300 MB).
Soak: N mixed updates (commands, fuzzed text/arguments/buttons), 20% venue failures.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from tests.e2e.bot_fixtures import bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.fake_exchange import running_fake_exchange

P50_GOAL_MS = 10.0
RSS_GOAL_MB = 300.0


def _env(api: FakeBotApi) -> None:
    os.environ["TELEGRAM_BOT_TOKEN"] = api.token
    os.environ["TELEGRAM_API_URL"] = api.base_url


#: Updates per second while measuring latency: a busy bot, below Telegram's ~30 messages/s
#: send limit, so the figure is the reply latency and not the rate limiter's queue.
LATENCY_PACE_PER_SECOND = 10


async def _latencies(api: FakeBotApi, first_chat: int, text: str, n: int) -> list[float]:
    """One request per chat (distinct users, so flood control stays out of the way)."""
    result = []
    for chat in range(first_chat, first_chat + n):
        pushed = time.perf_counter()
        api.send_text(chat, text)
        [reply] = await api.wait_sent(chat, 1, timeout=60)
        result.append((reply.at - pushed) * 1000)
        await asyncio.sleep(max(0.0, 1 / LATENCY_PACE_PER_SECOND - (time.perf_counter() - pushed)))
    return result


async def warm(conf: Settings, n: int) -> list[float]:
    """/btc latencies with the demo analysis cached."""
    api = FakeBotApi()
    await api.start()
    _env(api)
    try:
        async with running_bot(api, conf, demo_source(conf)):
            await _latencies(api, 1, "/btc", 3)  # warm the cache
            return await _latencies(api, 1_000, "/btc", n)
    finally:
        await api.stop()


async def cold(conf: Settings) -> tuple[list[float], float]:
    """First /btc, /eth, /sol against the fake exchange; and peak RSS (MB) afterwards."""
    api = FakeBotApi()
    await api.start()
    _env(api)
    try:
        async with running_fake_exchange() as fx:
            live = fx.settings(conf, retries=0, backoff_seconds=0.0, timeout_seconds=5.0)
            source = CcxtSource(live)
            await source.start()
            try:
                async with running_bot(api, live, source):
                    times = []
                    for chat, symbol in enumerate(("/btc", "/eth", "/sol"), start=10):
                        times += await _latencies(api, chat, symbol, 1)
                    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            finally:
                await source.close()
        return times, rss
    finally:
        await api.stop()


def _rss_mb() -> float:
    """Current resident set of this process (MB; Linux ``/proc``, else the peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def soak(conf: Settings, n: int) -> tuple[int, int, float, list[float]]:
    """N mixed updates; (violations, logged errors, seconds, RSS MB after each 1,000)."""
    from hypothesis import strategies as st
    from hypothesis.errors import NonInteractiveExampleWarning

    from tests.fakes.soak_updates import push, update_spec

    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    errors: list[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(record)

    handler = _Collect(logging.ERROR)
    logging.getLogger().addHandler(handler)
    batch = st.lists(update_spec(), min_size=50, max_size=50)
    specs = [spec for _ in range(0, n, 50) for spec in batch.example()][:n]
    api = FakeBotApi()
    await api.start()
    _env(api)
    start = time.perf_counter()
    rss: list[float] = []
    try:
        async with running_bot(api, conf, demo_source(conf, failure_rate=0.2)):
            for i in range(0, n, 100):
                checks = [push(api, spec, 100_000 + i + j)
                          for j, spec in enumerate(specs[i:i + 100])]
                await api.wait_for(_all_done(checks), 300)
                api.forget_history(keep_last=1000)
                if (i + 100) % 1000 == 0:
                    rss.append(_rss_mb())
    finally:
        await api.stop()
        logging.getLogger().removeHandler(handler)
    return len(api.violations), len(errors), time.perf_counter() - start, rss


def _all_done(checks: list[Callable[[], bool]]) -> Callable[[], bool]:
    return lambda: all(check() for check in checks)


def _report(name: str, values: list[float]) -> None:
    values = sorted(values)
    p = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    print(f"{name}: n={len(values)} p50={p[49]:.2f} ms p90={p[89]:.2f} ms "
          f"p99={p[98]:.2f} ms max={values[-1]:.2f} ms")


def main() -> int:
    """Run the benchmarks and print figures with ratios to the goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=300)
    parser.add_argument("--soak", type=int, default=10_000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory() as tmp:
        conf = bot_settings(load_settings(), Path(tmp) / "bench.sqlite3")
        warm_ms = asyncio.run(warm(conf, args.warm))
        _report("warm /btc (demo, cached)", warm_ms)
        p50 = statistics.median(warm_ms)
        print(f"  p50 / goal ({P50_GOAL_MS:.0f} ms) = {p50 / P50_GOAL_MS:.2f}")
        cold_ms, rss = asyncio.run(cold(conf))
        print("cold first reply (fake exchange): "
              + ", ".join(f"{s} {t:.0f} ms" for s, t in zip(("btc", "eth", "sol"), cold_ms,
                                                          strict=True)))
        print(f"peak RSS with venues loaded: {rss:.0f} MB; ratio to goal "
              f"({RSS_GOAL_MB:.0f} MB) = {rss / RSS_GOAL_MB:.2f}")
        if args.soak:
            violations, errors, seconds, rss_mb = asyncio.run(soak(conf, args.soak))
            print(f"soak: {args.soak} updates in {seconds:.1f} s "
                  f"({args.soak / seconds:.0f} updates/s); Bot API violations {violations}, "
                  f"unhandled errors {errors}")
            if rss_mb:
                print(f"soak RSS after each 1,000 updates: first {rss_mb[0]:.0f} MB, "
                      f"last {rss_mb[-1]:.0f} MB, max {max(rss_mb):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
