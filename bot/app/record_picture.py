"""The track record's picture behind ``/trackrecord [coin] chart``, drawn once per record.

The picture is drawn from the same calls the record's text scores (the first call of
each day) and cached under the record's content — how many calls are graded and the id
of the latest — so asking again before a new call is graded draws nothing.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

from bot.commentary.record_chart import RecordChart, record_chart
from bot.evidence.picture import MIN_CALLS_FOR_PICTURE, busiest_horizon, graded_calls
from bot.evidence.records import CallBook
from bot.evidence.track import first_of_each_day

TEMPLATE = "telegram/trackrecord_picture.j2"
#: Pictures kept (one per symbol and record content).
_CACHE_SIZE = 16
#: (symbol or "", (graded calls, id of the latest graded call))
RecordKey = tuple[str, tuple[int, int]]


@dataclass(frozen=True, slots=True)
class RecordPicture:
    """The picture of one record (``png`` None: too few graded calls) and its key."""

    key: RecordKey
    chart: RecordChart
    #: graded calls of the busiest horizon (what the picture would count)
    calls: int
    min_calls: int = MIN_CALLS_FOR_PICTURE


class RecordPictures:
    """Pictures of the track record, drawn off the event loop and cached by content."""

    def __init__(self, store: CallBook) -> None:
        self.store = store
        self._cache: OrderedDict[RecordKey, RecordPicture] = OrderedDict()
        #: pictures drawn (a cache hit draws none)
        self.renders = 0

    async def key(self, symbol: str | None) -> RecordKey:
        """The record's content: graded calls and the id of the latest graded one."""
        graded = (await self.store.counts(symbol)).get("graded", 0)
        latest = await self.store.recent(symbol, 1)
        return (symbol or "", (graded, latest[0].id if latest else 0))

    async def picture(self, symbol: str | None) -> RecordPicture:
        """The picture of ``symbol``'s record (every symbol when ``None``)."""
        key = await self.key(symbol)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        scored = first_of_each_day(await self.store.graded(symbol))
        horizon = busiest_horizon(scored)
        calls = graded_calls(scored, horizon) if horizon is not None else 0
        if calls >= MIN_CALLS_FOR_PICTURE:
            self.renders += 1
            chart = await asyncio.to_thread(record_chart, scored, symbol, horizon)
        else:
            chart = RecordChart(None, None)
        picture = RecordPicture(key, chart, calls)
        self._cache[key] = picture
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return picture
