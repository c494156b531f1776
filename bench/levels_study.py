"""Do the named levels mean something at the horizon a post implies? Old vs new, side by side.

    .venv/bin/python bench/levels_study.py [--data ../shared/data]

Every day at 12:00 UTC, 2026-01-28..2026-07-25, BTC and ETH: the real analysis on replayed
data, then the 1h bars after it. Per half (Jan–Apr, where the construction was tuned; Apr–Jul,
held out) it prints the median distance of ``next_support`` and of the nearest resistance
from price (in % and in daily ATRs), how often ``next_support`` was touched within 24h and
7 days, on bearish calls how often ``reversal`` was reached within 7 days, and on bullish
calls how often the level named as the view's invalidation was (old: ``next_support``; new:
``breakdown``).

The "old" columns are the figures of the previous construction (main at de9997e), measured
by this same script before the levels were rebuilt; "new" is measured now.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import load_settings
from bot.market.replay import ReplaySource
from tests.unit.level_outcomes import FIRST_HALF, HELD_OUT, SYMBOLS, Summary, calls, days, summarise

#: (label, Summary field, format) in table order.
ROWS = (
    ("calls", "calls", "{:.0f}"),
    ("next support below price, median %", "support_pct", "{:.2f}"),
    ("next support below price, median daily ATRs", "support_atr_1d", "{:.2f}"),
    ("nearest resistance above, median %", "resistance_pct", "{:.2f}"),
    ("nearest resistance above, median daily ATRs", "resistance_atr_1d", "{:.2f}"),
    ("reversal above price, median daily ATRs", "reversal_atr_1d", "{:.2f}"),
    ("next support touched within 24h", "support_touched_24h", "{:.0%}"),
    ("next support touched within 7d", "support_touched_7d", "{:.0%}"),
    ("bearish calls", "bearish_calls", "{:.0f}"),
    ("bearish: reversal reached within 7d", "reversal_reached_7d", "{:.0%}"),
    ("bullish calls", "bullish_calls", "{:.0f}"),
    ("bullish: invalidation reached within 7d", "breakdown_reached_7d", "{:.0%}"),
)

#: The previous construction's figures (first half, held-out half), measured at de9997e.
OLD: dict[str, tuple[float | None, float | None]] = {
    "calls": (178, 180),
    "support_pct": (1.32, 0.97),
    "support_atr_1d": (0.27, 0.28),
    "resistance_pct": (0.41, 0.31),
    "resistance_atr_1d": (0.09, 0.09),
    "reversal_atr_1d": (0.73, 0.79),
    "support_touched_24h": (0.60, 0.54),
    "support_touched_7d": (0.81, 0.85),
    "bearish_calls": (91, 92),
    "reversal_reached_7d": (0.63, 0.53),
    "bullish_calls": (53, 39),
    "breakdown_reached_7d": (0.96, 0.88),
}


def _cell(value: float | None, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    args = parser.parse_args()
    settings = load_settings()
    started = time.perf_counter()
    source = ReplaySource(args.data, None, settings)
    halves: list[Summary] = []
    for first, last in (FIRST_HALF, HELD_OUT):
        rows = [c for sym in SYMBOLS
                for c in calls(args.data, settings, sym, days(first, last), source)]
        halves.append(summarise(rows))
    print(f"{'':46} {'Jan–Apr (tuned)':>17} {'Apr–Jul (held out)':>19}")
    print(f"{'':46} {'old':>8} {'new':>8} {'old':>9} {'new':>9}")
    for label, field, fmt in ROWS:
        old = OLD.get(field, (None, None))
        new = [getattr(h, field) for h in halves]
        print(f"{label:46} {_cell(old[0], fmt):>8} {_cell(new[0], fmt):>8} "
              f"{_cell(old[1], fmt):>9} {_cell(new[1], fmt):>9}")
    print(f"({time.perf_counter() - started:.0f}s)")


if __name__ == "__main__":
    main()
