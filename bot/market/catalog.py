"""What the venues list, read from their loaded ccxt market lists (never a raw dict out).

``listed_bases`` gives the bases the spot venue trades against a dollar (USDT, USD or
USDC); ``symbol_for`` builds the ``SymbolSettings`` of such a base that no
``[[symbols]]`` entry configures: its spot pair and each derivatives venue's linear
perpetual, venues that do not list one left out (the snapshot then names them as
not listed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.config import SymbolSettings

#: Dollar quotes, in order of preference.
QUOTES = ("USDT", "USD", "USDC")
_TICKER_OK = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _usable(market: Any) -> bool:
    return isinstance(market, dict) and market.get("active") is not False


def _ticker(base: Any) -> str | None:
    text = str(base or "").upper()
    return text if 2 <= len(text) <= 15 and set(text) <= _TICKER_OK else None


def listed_bases(markets: Mapping[str, Any]) -> frozenset[str]:
    """Bases with an active dollar-quoted spot pair in ``markets``."""
    bases = set()
    for market in markets.values():
        if _usable(market) and market.get("spot") and market.get("quote") in QUOTES:
            ticker = _ticker(market.get("base"))
            if ticker is not None:
                bases.add(ticker)
    return frozenset(bases)


def _first(markets: Mapping[str, Any], symbols: list[str], kind: str) -> str | None:
    """The first of ``symbols`` listed, active and of ``kind`` ("spot", "swap")."""
    for symbol in symbols:
        market = markets.get(symbol)
        if isinstance(market, dict) and _usable(market) and market.get(kind):
            return symbol
    return None


def spot_symbol(markets: Mapping[str, Any], base: str) -> str | None:
    """The dollar-quoted spot pair of ``base`` ("DOGE/USDT"), USDT first."""
    return _first(markets, [f"{base}/{q}" for q in QUOTES], "spot")


def perp_symbol(markets: Mapping[str, Any], base: str) -> str | None:
    """The linear dollar-settled perpetual of ``base`` ("DOGE/USDT:USDT"), USDT first."""
    return _first(markets, [f"{base}/{q}:{q}" for q in QUOTES], "swap")


def symbol_for(base: str, spot_markets: Mapping[str, Any],
               perp_markets: Mapping[str, Mapping[str, Any]]) -> SymbolSettings | None:
    """The settings of listed ``base`` (``None`` when the spot venue lists no pair)."""
    spot = spot_symbol(spot_markets, base)
    if spot is None:
        return None
    markets = {venue: symbol for venue, listed in perp_markets.items()
               if (symbol := perp_symbol(listed, base)) is not None}
    return SymbolSettings(name=base, spot=spot, markets=markets)
