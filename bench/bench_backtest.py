"""Backtest speed: calls per second cold (folder parsed) and warm (parsed data reused),
and the full BTC run at daily steps over the long history (2017–2026).

    .venv/bin/python bench/bench_backtest.py
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import load_settings
from bot.evidence.backtest import run_backtest
from bot.market.replay import ReplaySource

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DAY = timedelta(days=1)


def main() -> int:
    """Print cold/warm rates side by side and the long run's wall time."""
    if not (DATA / "ohlcv").is_dir():
        print(f"skipped: real market data not found at {DATA}")
        return 0
    settings = load_settings()
    start, end = datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 3, 2, tzinfo=UTC)

    t0 = time.perf_counter()
    source = ReplaySource(DATA, None, settings)
    cold = run_backtest(source, settings, "BTC", start, end, DAY)
    cold_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    warm = run_backtest(source, settings, "BTC", start, end, DAY)
    warm_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    long = run_backtest(source, settings, "BTC", datetime(2018, 1, 1, tzinfo=UTC),
                        datetime(2026, 7, 18, tzinfo=UTC), DAY)
    long_s = time.perf_counter() - t0
    for name, bt, secs in (("cold", cold, cold_s), ("warm", warm, warm_s)):
        print(f"{name}  : {len(bt.rows):5d} calls in {secs:6.2f} s = "
              f"{len(bt.rows) / secs:7.1f} calls/s")
    print(f"ratio : warm is {cold_s / warm_s:.1f}x faster than cold (same 30 posts)")
    print(f"long  : BTC 2018-01-01..2026-07-18 daily, {len(long.rows)} calls in {long_s:.1f} s "
          f"= {len(long.rows) / long_s:.1f} calls/s")
    for h in long.horizons:
        skill = h.brier.skill if h.brier else None
        print(f"        {h.horizon.days}d: stated odds hit {h.outlook.rate:.3f}, momentum "
              f"{h.momentum.rate:.3f}, always up {h.always_up.rate:.3f}, Brier skill {skill:+.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
