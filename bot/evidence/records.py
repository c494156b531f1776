"""The track record's calls as stored: evidence records ↔ the ``calls`` table's JSON.

:class:`CallBook` is the record the bot keeps of its published calls: it encodes each
:class:`Row` (call, post context, outcome) as JSON for :class:`bot.storage.calls.CallStore`
and rebuilds the rows on the way back, so storage never sees an evidence type.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.evidence.model import Call, NamedLevel, Outcome, Row
from bot.storage.calls import CallRecord, CallStatus, CallStore, StoredCallRecord
from bot.storage.timestamps import from_iso, to_iso

_HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class StoredCall:
    """A recorded call: its row (outcome set once graded) and status."""

    id: int
    row: Row
    status: CallStatus

    @property
    def call(self) -> Call:
        """The call itself."""
        return self.row.call


def _call_json(call: Call) -> str:
    return json.dumps({
        "symbol": call.symbol, "as_of": to_iso(call.as_of), "price": call.price,
        "horizon_hours": round(call.horizon / _HOUR), "probability": call.probability,
        "base_rate": call.base_rate, "low_price": call.low_price, "high_price": call.high_price,
        "bias": call.bias, "momentum": call.momentum,
        "levels": [[lv.role, lv.price] for lv in call.levels],
    })


def _call(text: str) -> Call:
    d = json.loads(text)
    return Call(
        symbol=d["symbol"], as_of=from_iso(d["as_of"]), price=float(d["price"]),
        horizon=timedelta(hours=int(d["horizon_hours"])), probability=d["probability"],
        base_rate=d["base_rate"], low_price=d["low_price"], high_price=d["high_price"],
        bias=d["bias"], momentum=d["momentum"],
        levels=tuple(NamedLevel(role, float(price)) for role, price in d["levels"]),
    )


def _outcome_json(outcome: Outcome) -> str:
    return json.dumps({
        "price": outcome.price, "change_pct": outcome.change_pct, "up": outcome.up,
        "max_up_pct": outcome.max_up_pct, "max_down_pct": outcome.max_down_pct,
        "in_range": outcome.in_range, "touched": list(outcome.touched),
        "first_level": outcome.first_level,
    })


def _outcome(text: str | None) -> Outcome | None:
    if text is None:
        return None
    d = json.loads(text)
    return Outcome(
        price=float(d["price"]), change_pct=float(d["change_pct"]), up=bool(d["up"]),
        max_up_pct=float(d["max_up_pct"]), max_down_pct=float(d["max_down_pct"]),
        in_range=d["in_range"], touched=tuple(d["touched"]), first_level=d["first_level"],
    )


def _context_json(row: Row) -> str:
    return json.dumps({
        "bias_score": row.bias_score, "bias_label": row.bias_label, "setup": row.setup,
        "samples": row.samples, "edge": row.edge, "view": row.view,
    })


def _stored(record: StoredCallRecord) -> StoredCall:
    context = json.loads(record.context)
    row = Row(
        call=_call(record.call), outcome=_outcome(record.outcome),
        bias_score=float(context["bias_score"]), bias_label=str(context["bias_label"]),
        setup=context["setup"], samples=context["samples"], edge=context["edge"],
        view=context["view"],
    )
    return StoredCall(record.id, row, record.status)


def record_of(row: Row) -> CallRecord:
    """The storage record of ``row``'s call (keys as columns, the rest as JSON)."""
    call = row.call
    return CallRecord(symbol=call.symbol, as_of=call.as_of,
                      horizon_hours=round(call.horizon / _HOUR), due=call.due,
                      price=call.price, call=_call_json(call), context=_context_json(row))


class CallBook:
    """The published calls of the track record, over the database's ``calls`` table."""

    def __init__(self, store: CallStore) -> None:
        self.store = store

    async def record(self, rows: Sequence[Row], now: datetime | None = None) -> int:
        """Store each row's call once per (symbol, as-of, horizon); how many were new."""
        return await self.store.record([record_of(r) for r in rows], now)

    async def pending_symbols(self) -> tuple[str, ...]:
        """Symbols with calls not yet graded."""
        return await self.store.pending_symbols()

    async def due(self, symbol: str, by: datetime) -> tuple[StoredCall, ...]:
        """Pending calls of ``symbol`` whose horizon ended at or before ``by``, oldest first."""
        return tuple(_stored(r) for r in await self.store.due(symbol, by))

    async def settle(self, call_id: int, outcome: Outcome | None,
                     now: datetime | None = None) -> None:
        """Store the call's outcome (``None``: it can no longer be graded)."""
        await self.store.settle(call_id, None if outcome is None else _outcome_json(outcome),
                                now)

    async def graded(self, symbol: str | None = None) -> tuple[Row, ...]:
        """Every graded call (of ``symbol``, or all), oldest first."""
        return tuple(_stored(r).row for r in await self.store.graded(symbol))

    async def recent(self, symbol: str | None = None, limit: int = 5,
                     status: CallStatus = "graded") -> tuple[StoredCall, ...]:
        """The ``limit`` latest calls with ``status``, newest first."""
        return tuple(_stored(r) for r in await self.store.recent(symbol, limit, status))

    async def next_due(self, symbol: str | None = None) -> datetime | None:
        """When the earliest pending call comes due (``None``: nothing pending)."""
        return await self.store.next_due(symbol)

    async def counts(self, symbol: str | None = None) -> dict[CallStatus, int]:
        """How many calls have each status."""
        return await self.store.counts(symbol)
