"""The MarketSource protocol: anything that can produce a MarketSnapshot."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.market.models import MarketSnapshot


@runtime_checkable
class MarketSource(Protocol):
    """A source of market snapshots (live venues, replayed history or the demo market).

    ``snapshot`` raises ``UnknownSymbolError`` for symbols it does not know and
    never raises for a single venue's failure: that is recorded in
    ``MarketSnapshot.missing``.
    """

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        """The current snapshot of ``symbol`` (a configured symbol such as ``"BTC"``)."""
        ...

    async def close(self) -> None:
        """Release connections and resources."""
        ...
