"""``python -m bot backtest``: arguments → a run → text, JSON or CSV (with a progress bar)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

from bot.analysis.odds import horizon_name, parse_horizon
from bot.cli_args import parse_when
from bot.commentary.render import environment
from bot.config import Settings
from bot.errors import BadArgumentError, OutOfRangeError
from bot.evidence.backtest import Backtest, run_backtest, steps
from bot.evidence.export import backtest_csv, backtest_json
from bot.evidence.picture import MIN_CALLS_FOR_PICTURE, busiest_horizon, graded_calls
from bot.market.replay import ReplaySource

#: Steps before a progress bar is worth drawing.
PROGRESS_MIN_STEPS = 200


def parse_horizons(text: str) -> tuple[timedelta, ...]:
    """``24h,7d`` → (1 day, 7 days); BadArgumentError naming the bad part."""
    out = []
    for part in text.split(","):
        try:
            out.append(parse_horizon(part))
        except ValueError as e:
            raise BadArgumentError(f"--horizons: {part.strip()!r} is not a horizon such as "
                                   "24h or 7d") from e
    return tuple(sorted(set(out)))


def _bound(text: str, flag: str) -> datetime:
    when = parse_when(text)
    if when is None:
        raise BadArgumentError(f"{flag} is required")
    return when


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write("\r[" + "#" * filled + "." * (width - filled) + "] "
                     + str(done) + "/" + str(total))
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _text(bt: Backtest, every: str) -> str:
    template = environment("text").get_template("backtest/report.j2")  # columns: no tidy
    return template.render(
        bt=bt, every=every,
        steps=sum(1 for _ in steps(bt.start, bt.end, bt.every)),
        names=[horizon_name(h.horizon) for h in bt.horizons],
    ).strip() + "\n"


def write_chart(bt: Backtest, path: Path) -> str:
    """Draw the record's picture of ``bt`` to ``path``; the line saying so (or why not)."""
    from bot.commentary.record_chart import record_chart

    chart = record_chart(bt.rows, bt.symbol)
    if chart.png is not None:
        try:
            path.write_bytes(chart.png)
        except OSError as e:
            raise BadArgumentError(f"--chart: cannot write {path}: {e.strerror}") from e
    template = environment("text").get_template("backtest/chart.j2")
    horizon = busiest_horizon(bt.rows)
    calls = graded_calls(bt.rows, horizon) if horizon is not None else 0
    return template.render(chart=chart, path=path, calls=calls,
                           min_calls=MIN_CALLS_FOR_PICTURE).strip() + "\n"


def backtest(settings: Settings, symbol: str, args: argparse.Namespace) -> str:
    """The report the arguments ask for."""
    start, end = _bound(args.start, "--from"), _bound(args.end, "--to")
    if end < start:
        raise BadArgumentError("--to is before --from")
    every = parse_horizon(args.every)
    horizons = parse_horizons(args.horizons)
    source = ReplaySource(args.replay, None, settings)
    first, last = source.covered_range(symbol)
    if start < first or end > last:
        raise OutOfRangeError(
            f"--from/--to must lie within the replay data for {symbol}: "
            f"{first.isoformat()} to {last.isoformat()}"
        )
    count = sum(1 for _ in steps(start, end, every))
    show = sys.stderr.isatty() and count >= PROGRESS_MIN_STEPS
    bt = run_backtest(source, settings, symbol, start, end, every, horizons,
                      progress=_progress if show else None)
    if getattr(args, "chart", None) is not None:
        sys.stderr.write(write_chart(bt, args.chart))
    if args.format == "json":
        return json.dumps(backtest_json(bt), indent=2, allow_nan=False) + "\n"
    if args.format == "csv":
        return backtest_csv(bt)
    return _text(bt, args.every)
