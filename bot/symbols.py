"""Resolve what a user typed ("btc", "$Eth", "etherium", "solana") to a configured symbol.

Exact tickers and configured aliases win; then coin names and tickers from the
bundled table (``bot.coins``) are matched with rapidfuzz. An unknown
input raises ``UnknownSymbolError`` carrying a configured suggestion when one
is close ("did you mean ETH?").
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process

from bot.coins import Coin, coin_table
from bot.config import Settings
from bot.errors import UnknownSymbolError

_MIN_SCORE = 80.0
#: A trading-pair quote after the base: "BTC/USDT", "eth-usd", "SOL/USDT:USDT" (ccxt perps).
_PAIR_QUOTE = re.compile(r"[/\-_:](usdt|usdc|usd|perp)(:(usdt|usdc|usd))?$")


def _clean(text: str) -> str:
    """Lower-case input, full-width letters folded, without invisible or control characters."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Cc"))
    return visible.strip().lstrip("$/#").strip().lower()


class SymbolResolver:
    """Maps user input onto ``settings.symbols`` (with suggestions for near misses)."""

    def __init__(self, settings: Settings, coins: tuple[Coin, ...] | None = None) -> None:
        self._settings = settings
        self._coins = coins if coins is not None else coin_table()
        configured = set(settings.symbol_names)
        # every spelling that leads to a configured symbol: names, aliases, coin names
        self._spellings: dict[str, str] = {}
        for s in settings.symbols:
            for spelling in (s.name, *s.aliases):
                self._spellings[spelling.lower()] = s.name
        for coin in self._coins:
            if coin.ticker in configured:
                self._spellings.setdefault(coin.name.lower(), coin.ticker)
        self._tickers = {c.ticker.lower(): c for c in self._coins}

    def resolve(self, text: str) -> str:
        """The configured symbol for ``text``; raises ``UnknownSymbolError`` otherwise."""
        key = _clean(text)
        if not key:
            raise UnknownSymbolError(text.strip())
        base = _PAIR_QUOTE.sub("", key)
        exact = self._spellings.get(base) or self._spellings.get(base.removesuffix("usdt"))
        if exact is not None:
            return exact
        raise UnknownSymbolError(key.upper(), self.suggest(key))

    def suggest(self, text: str) -> str | None:
        """The closest configured symbol, or ``None`` when nothing is close."""
        key = _clean(text)
        if key in self._tickers:  # a real coin the bot does not cover: no false "did you mean"
            return None
        for spelling, symbol in self._spellings.items():  # swapped letters: "eht", "tbc"
            if len(key) <= 4 and sorted(key) == sorted(spelling):
                return symbol
        match = process.extractOne(key, list(self._spellings), scorer=fuzz.WRatio,
                                   score_cutoff=_MIN_SCORE)
        if match is None or (len(key) <= 3 and fuzz.ratio(key, match[0]) < _MIN_SCORE):
            return None
        return self._spellings[match[0]]

    def coin_name(self, ticker: str) -> str | None:
        """The coin's common name from the bundled table."""
        coin = self._tickers.get(ticker.lower())
        return coin.name if coin else None

    def is_known_coin(self, text: str) -> bool:
        """Whether ``text`` is a ticker from the bundled table (covered or not)."""
        return _clean(text) in self._tickers
