"""Benchmark the live source against the fake exchange with 100 ms injected latency.

Prints, from one run:
  * cold snapshot (all venues) / slowest single venue's request chain  (goal <= 1.3)
  * upstream requests of 500 concurrent snapshots / one request set    (goal 1.0)
  * warm snapshot latency (median of 50)
  * resident memory with every venue's markets loaded (600 extra listed markets per venue)

Run: .venv/bin/python bench/bench_live_source.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from tests.fakes.fake_exchange import FakeExchange, running_fake_exchange
from tests.fakes.fake_market import CoinBook, default_market

LATENCY = 0.100
EXTRA_MARKETS = 600
VENUES = ("binanceusdm", "okx", "bybit", "hyperliquid")


def rss_mib() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def settings_for(fx: FakeExchange, derivatives: tuple[str, ...], whales: bool) -> Settings:
    base = load_settings()
    if not whales:
        base = base.model_copy(update={"whales": base.whales.model_copy(update={"tracked": ()})})
    return fx.settings(base, derivatives=derivatives)


async def cold_snapshot_seconds(fx: FakeExchange, settings: Settings) -> float:
    """Time of the first snapshot after start() (markets already loaded)."""
    src = CcxtSource(settings)
    await src.start()
    await src.markets_ready(60)
    started = time.perf_counter()
    await src.snapshot("BTC")
    elapsed = time.perf_counter() - started
    await src.close()
    return elapsed


async def main() -> None:
    market = default_market()
    template = market.coins["SOL"]
    for i in range(EXTRA_MARKETS):
        market.coins[f"X{i:04d}"] = CoinBook(f"X{i:04d}", 1.0, 1.0, dict(template.perps))
    async with running_fake_exchange(market) as fx:
        fx.set_latency(LATENCY)
        full = settings_for(fx, VENUES, whales=True)
        rss_before = rss_mib()
        src = CcxtSource(full)
        await src.start()
        rss_loaded = rss_mib()
        chains = {}
        for venue in VENUES:
            chains[venue] = await cold_snapshot_seconds(
                fx, settings_for(fx, (venue,), whales=venue == "hyperliquid")
            )
        cold = await cold_snapshot_seconds(fx, full)
        slowest = max(chains, key=lambda v: chains[v])

        probe = CcxtSource(full)
        await probe.start()
        fx.reset_counts()
        await probe.snapshot("BTC")
        one_set = fx.request_count()
        await probe.close()

        fx.reset_counts()
        await asyncio.gather(*(src.snapshot("BTC") for _ in range(500)))
        burst = fx.request_count()
        fx.reset_counts()
        warm = []
        for _ in range(50):
            started = time.perf_counter()
            await src.snapshot("BTC")
            warm.append(time.perf_counter() - started)
        warm_requests = {v: n.requests[:] for v, n in fx.venues.items() if n.requests}
        await src.close()

    print(f"injected latency per request: {LATENCY * 1000:.0f} ms")
    for venue, seconds in chains.items():
        print(f"  chain {venue:<12} {seconds * 1000:7.0f} ms")
    print(f"cold snapshot, all venues: {cold * 1000:.0f} ms")
    print(f"cold / slowest venue chain ({slowest}): {cold / chains[slowest]:.2f}  (goal <= 1.3)")
    print(f"500 concurrent snapshots: {burst} upstream requests / one set {one_set} = "
          f"{burst / one_set:.2f}  (goal 1.0)")
    print(f"warm snapshot latency: median {statistics.median(warm) * 1e6:.0f} us, "
          f"max {max(warm) * 1e6:.0f} us, upstream requests {warm_requests or 0}")
    print(f"RSS: {rss_before:.0f} MiB before start, {rss_loaded:.0f} MiB with markets of "
          f"{EXTRA_MARKETS + 3} coins at 5 venues loaded (+{rss_loaded - rss_before:.1f} MiB)")


if __name__ == "__main__":
    asyncio.run(main())
