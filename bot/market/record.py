"""The ``record`` loop: poll the live source and append snapshots as JSON lines.

``python -m bot record DIR --symbols BTC,ETH --duration 1h --every 5m`` calls
``record(settings, Path(DIR), ["BTC", "ETH"], 3600.0, 300.0)`` (seconds).
The file ``DIR/live-<start>.jsonl`` is in the replay format (``bot.market.recording``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from bot.config import Settings
from bot.errors import BadArgumentError, BotError
from bot.market.ccxt_source import CcxtSource
from bot.market.recording import write_snapshot
from bot.market.source import MarketSource, configured_symbol

log = logging.getLogger(__name__)


async def record(
    settings: Settings,
    directory: Path,
    symbols: Sequence[str],
    duration: float,
    every: float,
    *,
    include_candles: bool = False,
    source: MarketSource | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> int:
    """Write one snapshot per symbol every ``every`` seconds for ``duration``; return the count.

    ``duration // every`` rounds (at least one), the first immediately; the file
    is ``directory/live-<UTC start>.jsonl``. Unknown symbols raise
    ``UnknownSymbolError`` before anything is written; a symbol whose snapshot
    fails is logged and skipped for that round.
    """
    if every <= 0 or duration <= 0:
        raise BadArgumentError("record: duration and interval must be positive")
    names = [configured_symbol(settings, name).name for name in symbols]
    directory.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    path = directory / f"live-{started:%Y%m%dT%H%M%SZ}.jsonl"
    owned = source is None
    live = source if source is not None else CcxtSource(settings)
    written = 0
    rounds = max(1, int(duration // every))
    first = time.monotonic()
    try:
        with path.open("a", encoding="utf-8") as fp:
            for index in range(rounds):
                written += await _one_round(live, names, fp, include_candles)
                fp.flush()
                if index + 1 < rounds:
                    await sleep(max(0.0, first + (index + 1) * every - time.monotonic()))
    finally:
        if owned:
            await live.close()
    log.info("recorded %d snapshots to %s", written, path)
    return written


async def _one_round(
    source: MarketSource, names: Sequence[str], fp: IO[str], include_candles: bool
) -> int:
    snapshots = await asyncio.gather(
        *(source.snapshot(n) for n in names), return_exceptions=True
    )
    written = 0
    for name, snap in zip(names, snapshots, strict=True):
        if isinstance(snap, BotError):
            log.warning("record: %s skipped this round: %s", name, snap)
            continue
        if isinstance(snap, BaseException):
            raise snap
        write_snapshot(fp, snap, include_candles)
        written += 1
    return written
