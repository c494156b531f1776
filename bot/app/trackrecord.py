"""The track record behind /trackrecord and the grading job: calls, grading, citing.

Calls are recorded by :class:`MarketService` when a post that states them is produced
(quick takes, articles, scheduled digests); :func:`grade_due` grades every call whose
horizon has passed on the symbol's current snapshot; :func:`track_record_text` renders
the record with ``templates/telegram/trackrecord.j2``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.commentary.telegram_html import MESSAGE_LIMIT, utf16_len
from bot.errors import DataError, UnknownSymbolError, VenueError
from bot.evidence.records import CallBook
from bot.evidence.track import RECENT_CALLS, TrackRecord, Verdict, summarise_record, verdict
from bot.market.source import MarketSource

log = logging.getLogger(__name__)
TEMPLATE = "telegram/trackrecord.j2"
#: The one line of the record an article cites.
LINE_TEMPLATE = "telegram/trackrecord_line.j2"


@dataclass(frozen=True, slots=True)
class GradingReport:
    """One grading pass: calls graded, given up on (too old) and still waiting for a close."""

    graded: int = 0
    ungradable: int = 0
    waiting: int = 0


async def grade_due(source: MarketSource, store: CallBook) -> GradingReport:
    """Grade every pending call whose horizon ended by its symbol's current snapshot."""
    graded = ungradable = waiting = 0
    for symbol in await store.pending_symbols():
        try:
            snapshot = await source.snapshot(symbol)
        except (UnknownSymbolError, VenueError, DataError) as e:
            log.warning("track record: %s not graded now: %s", symbol, e)
            continue
        for stored in await store.due(symbol, snapshot.as_of):
            decided, outcome = verdict(snapshot, stored.call)
            if decided is Verdict.WAIT:
                waiting += 1
                continue
            await store.settle(stored.id, outcome)
            if decided is Verdict.GRADED:
                graded += 1
            else:
                ungradable += 1
    if graded or ungradable:
        log.info("track record: %d calls graded, %d too old to grade", graded, ungradable)
    return GradingReport(graded, ungradable, waiting)


async def track_record(store: CallBook, symbol: str | None) -> TrackRecord:
    """The stored record of ``symbol`` (every symbol when ``None``)."""
    counts = await store.counts(symbol)
    recent = await store.recent(symbol, RECENT_CALLS)
    return summarise_record(
        symbol,
        await store.graded(symbol),
        tuple(s.row for s in recent),
        pending=counts["pending"],
        ungradable=counts["ungradable"],
        next_due=await store.next_due(symbol),
    )


def with_line(messages: tuple[str, ...], line: str) -> tuple[str, ...]:
    """``messages`` with ``line`` closing the last one (unchanged when it would not fit)."""
    if not messages or not line:
        return messages
    last = messages[-1] + "\n\n" + line
    return messages if utf16_len(last) > MESSAGE_LIMIT else (*messages[:-1], last)
