"""The one place that normalises and resolves what users type to a coin symbol.

``normalise`` folds full-width letters, drops invisible marks (RTL, zero-width) and
cashtag/command prefixes; ``pair_base`` takes the base of a trading pair ("BTC/USDT",
"eth-usd", "btcusdt"); ``symbol_book`` holds every spelling (configured tickers and
aliases, the bundled coin table, nicknames). ``SymbolResolver`` maps a command argument
("btc", "$Eth", "etherium", "solana") onto a configured symbol or a base the spot venue
lists: exact spellings win, then an unknown input raises ``UnknownSymbolError`` carrying a
suggestion when one is close ("did you mean ETH?"). Free-text extraction (``bot.qa.symbols``)
uses the same. What the venue lists is injected (``use_listing``) by the application at
start-up: this module never asks a venue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz import fuzz, process

from bot.coins import Coin, coin_table
from bot.config import Settings
from bot.errors import UnknownSymbolError

_MIN_SCORE = 80.0
#: Separators between a pair's base and quote: "BTC/USDT", "eth-usd", "SOL/USDT:USDT".
_PAIR_SEPARATORS = re.compile(r"[/\-_:]")
#: Quotes glued to a base ("btcusdt") or written after a separator.
QUOTE_SUFFIXES = ("usdt", "usdc", "usd", "perp", "busd")

# Nicknames people type that the coin table (bot/data/coins.csv) does not list.
EXTRA_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "BTC": ("xbt",),
        "ETH": ("ether",),
        "SHIB": ("shiba",),
        "BNB": ("binance coin",),
        "MATIC": ("matic",),
        "RNDR": ("rndr",),
    }
)
#: The venue named by the offline demo's listing (it lists nothing: it simulates a few coins).
DEMO_VENUE = "demo"
# Names never read as a coin: they name a venue or a data source in questions.
NOT_COIN_NAMES: frozenset[str] = frozenset({"hyperliquid"})


@dataclass(frozen=True, slots=True)
class Listing:
    """The bases ``venue`` lists with a dollar-quoted spot pair (upper-case tickers)."""

    venue: str
    bases: frozenset[str]


#: Gives the current listing, or ``None`` while no market list is loaded.
ListingProvider = Callable[[], Listing | None]
_LISTINGS: dict[int, tuple[Settings, ListingProvider]] = {}


def use_listing(settings: Settings, provider: ListingProvider | None) -> None:
    """Resolve symbols for ``settings`` against ``provider``'s listing too (``None``: stop)."""
    if provider is None:
        _LISTINGS.pop(id(settings), None)
    else:
        _LISTINGS[id(settings)] = (settings, provider)


def listing_of(settings: Settings) -> Listing | None:
    """The listing injected for ``settings``, if any and loaded."""
    entry = _LISTINGS.get(id(settings))
    if entry is None or entry[0] is not settings:
        return None
    return entry[1]()


def is_demo(settings: Settings) -> bool:
    """Whether ``settings`` are served by the offline demo market (its listing says so)."""
    listing = listing_of(settings)
    return listing is not None and listing.venue == DEMO_VENUE


def fold(text: str) -> str:
    """``text`` with full-width letters folded and invisible or control characters dropped
    (case kept: free-text extraction reads capitals)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Cc")).strip()


def normalise(text: str) -> str:
    """The lookup key of ``text``: folded, lower case, without a ``$``, ``/`` or ``#`` prefix."""
    return fold(text).lstrip("$/#").strip().lower()


def pair_base(token: str) -> str:
    """The base of a trading pair ("BTC/USDT" → "BTC", "btcusdt" → "btc"); else ``token``."""
    base = _PAIR_SEPARATORS.split(token, maxsplit=1)[0] or token
    lower = base.lower()
    for suffix in QUOTE_SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 1:
            return base[: -len(suffix)]
    return base


@dataclass(frozen=True, slots=True)
class SymbolBook:
    """Every spelling the bot knows: lower-case tickers and names to a ticker."""

    tickers: Mapping[str, str]
    names: Mapping[str, str]
    configured: frozenset[str]
    listed: frozenset[str] = frozenset()

    def is_configured(self, symbol: str) -> bool:
        """Whether the bot has data for ``symbol`` (configured, or listed by the venue)."""
        return symbol in self.configured or symbol in self.listed


def symbol_book(settings: Settings) -> SymbolBook:
    """The lookup tables for ``settings`` (configured symbols win over known coins), with
    the bases the spot venue lists when a listing was injected (``use_listing``)."""
    book = _book(tuple((s.name, s.aliases) for s in settings.symbols))
    listing = listing_of(settings)
    if listing is None or not listing.bases:
        return book
    return SymbolBook(book.tickers, book.names, book.configured, listing.bases)


@lru_cache(maxsize=16)
def _book(configured: tuple[tuple[str, tuple[str, ...]], ...]) -> SymbolBook:
    coins = coin_table()
    tickers: dict[str, str] = {c.ticker.lower(): c.ticker for c in coins}
    tickers.update((t.lower(), t) for t in EXTRA_NAMES)
    names: dict[str, str] = {}
    for coin in coins:
        name = coin.name.lower()
        if name not in NOT_COIN_NAMES and name != coin.ticker.lower():
            names.setdefault(name, coin.ticker)
    for ticker, nicknames in EXTRA_NAMES.items():
        names.update((nick, ticker) for nick in nicknames)
    for name, aliases in configured:
        tickers[name.lower()] = name
        for alias in aliases:
            names[alias.lower()] = name
    return SymbolBook(
        MappingProxyType(tickers),
        MappingProxyType(names),
        frozenset(name for name, _ in configured),
    )


class SymbolResolver:
    """Maps user input onto ``settings.symbols`` or a listed base (with suggestions for near
    misses); the listing is the one injected for ``settings`` unless ``listing`` is given."""

    def __init__(self, settings: Settings, coins: tuple[Coin, ...] | None = None,
                 listing: ListingProvider | None = None) -> None:
        self._settings = settings
        self._listing = listing or (lambda: listing_of(settings))
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
        for ticker, nicknames in EXTRA_NAMES.items():
            if ticker in configured:
                self._spellings.update((n, ticker) for n in nicknames if n not in self._spellings)
        self._tickers = {c.ticker.lower(): c for c in self._coins}

    def listing(self) -> Listing | None:
        """What the spot venue lists, when known."""
        return self._listing()

    def resolve(self, text: str) -> str:
        """The configured symbol or listed base for ``text``; ``UnknownSymbolError`` (naming
        the venue searched, with a suggestion when one is close) otherwise."""
        key = normalise(text)
        if not key:
            raise UnknownSymbolError(text.strip())
        exact = self._spellings.get(key) or self._spellings.get(pair_base(key))
        if exact is not None:
            return exact
        listing = self._listing()
        if listing is not None:
            listed = self._listed(key, listing.bases) or self._listed(pair_base(key),
                                                                      listing.bases)
            if listed is not None:
                return listed
        if listing is not None and not listing.bases:  # the demo: real coins have no data
            real = self._real_coin(key) or self._real_coin(pair_base(key))
            if real is not None:
                raise UnknownSymbolError(real, None, listing.venue)
            listing = None
        raise UnknownSymbolError(key.upper(), self.suggest(key),
                                 listing.venue if listing is not None else None)

    def _real_coin(self, key: str) -> str | None:
        """The ticker of the real coin ``key`` spells (ticker or common name), if any."""
        if key in self._tickers:
            return self._tickers[key].ticker
        return next((c.ticker for c in self._coins if c.name.lower() == key), None)

    def _listed(self, key: str, bases: frozenset[str]) -> str | None:
        """The listed base ``key`` spells: the ticker itself, or a coin's common name."""
        if key.upper() in bases:
            return key.upper()
        named = next((c.ticker for c in self._coins if c.name.lower() == key), None)
        return named if named in bases else None

    def suggest(self, text: str) -> str | None:
        """The closest configured symbol (else listed base), or ``None`` when nothing is
        close; a real ticker is never "corrected" to another coin."""
        key = normalise(text)
        if key in self._tickers:  # a real coin the bot does not cover: no false "did you mean"
            return None
        listing = self._listing()
        if listing is not None and key.upper() in listing.bases:
            return None
        for spelling, symbol in self._spellings.items():  # swapped letters: "eht", "tbc"
            if len(key) <= 4 and sorted(key) == sorted(spelling):
                return symbol
        match = process.extractOne(key, list(self._spellings), scorer=fuzz.WRatio,
                                   score_cutoff=_MIN_SCORE)
        if match is None or (len(key) <= 3 and fuzz.ratio(key, match[0]) < _MIN_SCORE):
            return self._suggest_listed(key, listing)
        return self._spellings[match[0]]

    @staticmethod
    def _suggest_listed(key: str, listing: Listing | None) -> str | None:
        """The listed base closest to ``key`` (plain edit distance, tickers of 3+ letters)."""
        if listing is None or len(key) < 3:
            return None
        candidates = [b for b in listing.bases if len(b) >= 3]
        match = process.extractOne(key.upper(), candidates, scorer=fuzz.ratio,
                                   score_cutoff=_MIN_SCORE)
        return match[0] if match is not None else None

    def coin_name(self, ticker: str) -> str | None:
        """The coin's common name from the bundled table."""
        coin = self._tickers.get(ticker.lower())
        return coin.name if coin else None

    def is_known_coin(self, text: str) -> bool:
        """Whether ``text`` is a ticker from the bundled table (covered or not)."""
        return normalise(text) in self._tickers
