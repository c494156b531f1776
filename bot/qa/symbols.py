"""Symbol extraction from chat text: tickers, $cashtags, pairs and coin names.

Configured symbols (and their aliases) are recognised, and so are other well-known coins,
so "what about doge" yields ``DOGE`` and the caller can say it is not supported. Tickers
that are ordinary English words (LINK, NEAR, TON…) only count when written in capitals or
as a cashtag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz.distance import OSA

from bot.config import Settings

# Well-known coins beyond the configured ones: ticker → names people type.
KNOWN_COINS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "BTC": ("bitcoin", "xbt"),
        "ETH": ("ethereum", "ether"),
        "SOL": ("solana",),
        "DOGE": ("dogecoin",),
        "XRP": ("ripple",),
        "ADA": ("cardano",),
        "BNB": ("binance coin",),
        "AVAX": ("avalanche",),
        "DOT": ("polkadot",),
        "LINK": ("chainlink",),
        "LTC": ("litecoin",),
        "MATIC": ("polygon",),
        "SHIB": ("shiba", "shiba inu"),
        "PEPE": (),
        "TRX": ("tron",),
        "TON": ("toncoin",),
        "ARB": ("arbitrum",),
        "OP": (),
        "SUI": (),
        "APT": ("aptos",),
        "NEAR": (),
        "ATOM": ("cosmos",),
        "UNI": ("uniswap",),
        "BCH": ("bitcoin cash",),
        "ETC": ("ethereum classic",),
        "XLM": ("stellar",),
        "HYPE": (),
        "WIF": ("dogwifhat",),
        "BONK": (),
        "FIL": ("filecoin",),
        "XMR": ("monero",),
        "KAS": ("kaspa",),
        "INJ": ("injective",),
        "TIA": ("celestia",),
        "SEI": (),
        "ICP": (),
        "ENA": ("ethena",),
        "ONDO": (),
        "JUP": ("jupiter",),
        "TAO": ("bittensor",),
        "FET": (),
        "RNDR": (),
        "PENGU": (),
        "TRUMP": (),
    }
)

# Tickers that are also everyday words: only recognised as CAPS or $cashtag.
WORDLIKE_TICKERS: frozenset[str] = frozenset(
    {"LINK", "NEAR", "TON", "OP", "DOT", "UNI", "ATOM", "APT", "HYPE", "ETC", "SEI",
     "FET", "TRUMP", "ENA", "TAO"}
)
_QUOTE_SUFFIXES = ("usdt", "usdc", "usd", "perp", "busd")


@dataclass(frozen=True, slots=True)
class SymbolHit:
    """A symbol found in text: its ticker and the token positions it covered."""

    symbol: str
    start: int
    stop: int


@dataclass(frozen=True, slots=True)
class SymbolBook:
    """Lookup tables built from the settings plus the well-known coins."""

    tickers: Mapping[str, str]
    names: Mapping[str, str]
    configured: frozenset[str]

    def is_configured(self, symbol: str) -> bool:
        """Whether the bot has data for ``symbol``."""
        return symbol in self.configured


def symbol_book(settings: Settings) -> SymbolBook:
    """The lookup tables for ``settings`` (configured symbols win over known coins)."""
    return _book(tuple((s.name, s.aliases) for s in settings.symbols))


@lru_cache(maxsize=16)
def _book(configured: tuple[tuple[str, tuple[str, ...]], ...]) -> SymbolBook:
    tickers: dict[str, str] = {t.lower(): t for t in KNOWN_COINS}
    names: dict[str, str] = {}
    for ticker, coin_names in KNOWN_COINS.items():
        for name in coin_names:
            names[name] = ticker
    for name, aliases in configured:
        tickers[name.lower()] = name
        for alias in aliases:
            names[alias.lower()] = name
    return SymbolBook(
        MappingProxyType(tickers),
        MappingProxyType(names),
        frozenset(name for name, _ in configured),
    )


def _strip_pair(token: str) -> str:
    base = token.split("/")[0].split(":")[0]
    lower = base.lower()
    for suffix in _QUOTE_SUFFIXES:
        if lower.endswith(suffix) and len(lower) > len(suffix) + 1:
            return base[: -len(suffix)]
    return base


def _ticker_of(raw: str, book: SymbolBook) -> str | None:
    cashtag = raw[:1] in "$#"
    token = _strip_pair(raw.lstrip("$#"))
    lower = token.lower()
    if lower.endswith("s") and lower[:-1] in book.tickers and lower not in book.tickers:
        lower = lower[:-1]  # "btcs", "eths"
    ticker = book.tickers.get(lower)
    if ticker is None:
        return None
    if ticker in WORDLIKE_TICKERS and ticker not in book.configured:
        shouted = token.isupper() and len(token) >= 2
        if not (cashtag or shouted):
            return None
    return ticker


def _name_of(words: list[str], book: SymbolBook) -> tuple[str, int] | None:
    """A coin name starting at words[0] (exact, or a typo of a long name)."""
    for size in (2, 1):
        if len(words) < size:
            continue
        phrase = " ".join(words[:size])
        if phrase in book.names:
            return book.names[phrase], size
    word = words[0]
    if len(word) < 6:
        return None
    for name, ticker in book.names.items():
        if " " in name or len(name) < 6 or abs(len(name) - len(word)) > 2:
            continue
        budget = 1 if len(name) < 8 else 2
        if OSA.distance(word, name) <= budget and word[0] == name[0]:
            return ticker, 1
    return None


def find_symbols(tokens: Iterable[str], book: SymbolBook) -> list[SymbolHit]:
    """Every symbol mentioned in ``tokens``, in order of appearance."""
    toks = list(tokens)
    lowered = [t.lower().lstrip("$#") for t in toks]
    hits: list[SymbolHit] = []
    i = 0
    while i < len(toks):
        ticker = _ticker_of(toks[i], book)
        if ticker is not None:
            hits.append(SymbolHit(ticker, i, i + 1))
            i += 1
            continue
        named = _name_of(lowered[i:], book)
        if named is not None:
            hits.append(SymbolHit(named[0], i, i + named[1]))
            i += named[1]
            continue
        i += 1
    return hits
