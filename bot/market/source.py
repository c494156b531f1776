"""The MarketSource protocol: anything that can produce a MarketSnapshot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

from bot.config import Settings, SymbolSettings
from bot.errors import UnknownSymbolError
from bot.market.health import VenueState
from bot.market.models import MarketSnapshot
from bot.market.whale_watch import WhaleSighting
from bot.symbols import Listing, ListingProvider, SymbolResolver

#: Builds the settings of a listed base no ``[[symbols]]`` entry configures (or ``None``).
Catalog = Callable[[str], SymbolSettings | None]


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


@runtime_checkable
class WhaleWatching(Protocol):
    """A source that can look at whales: addresses polled directly (live) or the ranked
    top list of whale snapshots (replay)."""

    async def whale_sighting(self, addresses: Sequence[tuple[str, str]]) -> WhaleSighting:
        """What ``addresses`` ((address, label) pairs) and any top list show now."""
        ...


@runtime_checkable
class VenueReporting(Protocol):
    """A source talking to live venues, able to say how each one is doing."""

    def venue_states(self) -> tuple[VenueState, ...]:
        """Each venue's last success, last error (a reason code) and market-list age."""
        ...


@runtime_checkable
class KeepsWarm(Protocol):
    """A source that can keep symbols' snapshots fresh in the background."""

    async def keep_warm(self, symbols: tuple[str, ...]) -> None:
        """Build fresh snapshots of ``symbols`` now; from then on a request for one of them
        whose snapshot just expired gets it at once while a new one is built."""
        ...


@runtime_checkable
class VenueListing(Protocol):
    """A source that knows which bases its spot venue lists (once its market list is in)."""

    def listing(self) -> Listing | None:
        """The listed bases, or ``None`` while no market list is loaded."""
        ...


def configured_symbol(settings: Settings, symbol: str, catalog: Catalog | None = None,
                      listing: ListingProvider | None = None) -> SymbolSettings:
    """The configured symbol named (or aliased) ``symbol``, as ``bot.symbols`` resolves it;
    else, with a ``catalog``, the listed base it names.

    Raises ``UnknownSymbolError`` with the suggestion users get everywhere else
    (``bot.symbols.SymbolResolver``), if any configured or listed symbol is close.
    """
    conf = settings.symbol(symbol)  # a configured name: no need for the coin table
    if conf is None:
        try:
            name = SymbolResolver(settings, listing=listing).resolve(symbol)
        except UnknownSymbolError as e:  # named as the caller gave it
            raise UnknownSymbolError(symbol, e.suggestion, e.venue) from None
        conf = settings.symbol(name)
        if conf is None and catalog is not None:
            conf = catalog(name)
    if conf is None:
        raise UnknownSymbolError(symbol)
    return conf
