"""Symbol extraction from chat text: tickers, $cashtags, pairs and coin names.

Normalisation and the spellings (``SymbolBook``) live in ``bot.symbols``; this module only
finds the coin mentions in a question's tokens.

Configured symbols (and their aliases) are recognised, and so are the well-known coins of
the bundled table (``bot.coins``),
so "what about doge" yields ``DOGE`` and the caller can say it is not supported. Tickers
that are ordinary English words (LINK, NEAR, TON…) only count when written in capitals or
as a cashtag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.symbols import SymbolBook, fold, pair_base

# Tickers that are also everyday words: only recognised as CAPS or $cashtag (so are
# all tickers of one or two letters).
WORDLIKE_TICKERS: frozenset[str] = frozenset(
    {
        "LINK", "NEAR", "TON", "OP", "DOT", "UNI", "ATOM", "APT", "HYPE", "ETC", "SEI", "FET",
        "TRUMP", "ENA", "TAO", "ONE", "NOT", "HIGH", "PEOPLE", "ACT", "GOAT", "DOGS", "SAND",
        "MAGIC", "MASK", "BAND", "BAT", "BLUR", "GRASS", "SKY", "RAY", "CAKE", "COMP", "ENS",
        "EDU", "HOOK", "PORTAL", "PIXEL", "SAGA", "FLOW", "ROSE", "DASH", "MEW", "MOG", "TURBO",
        "AUDIO", "APE", "OCEAN", "RUNE", "WAVES", "ZEN", "HOT", "ALT", "ACE", "LEO", "NEO", "GALA",
        "MANA", "AERO", "VIRTUAL", "ALGO", "SUSHI", "POL", "ARB", "GMT", "BAL", "CYBER", "ZETA",
        "WIF", "BONK", "BRETT", "RENDER", "VET", "TIA",
    }
)
# Coin names that are everyday words: only recognised when capitalised ("Render").
WORDLIKE_NAMES: frozenset[str] = frozenset(
    {
        "optimism", "render", "quant", "immutable", "stacks", "flare", "maker", "sky", "flow",
        "sonic", "story", "grass", "magic", "harmony", "turbo", "dogs", "compound", "balancer",
        "terra", "verge", "blur", "saga", "tensor", "portal", "pixels", "mantle", "gala", "dash",
        "neo", "icon", "waves", "golem", "holo", "mantra", "bonk", "brett", "sei",
    }
)
# Everyday words among those tickers: lower case, only in a coin's place right next to
# "price", "chart", "coin" ("not price", "near doing"), never after "buy"/"at".
COMMON_WORD_TICKERS: frozenset[str] = frozenset(
    {"NOT", "ONE", "HIGH", "PEOPLE", "ACT", "ACE", "HOT", "ALT", "NEAR", "SKY", "BAND", "MASK",
     "FLOW", "ROSE", "DASH", "MAGIC", "PORTAL", "SAGA", "EDU", "HOOK", "COMP", "OCEAN", "BAT",
     "SAND", "GRASS", "RAY", "WAVES", "ZEN", "LEO", "AUDIO", "POL", "BAL", "GAS", "OP",
     "APE", "DOGS", "TAO", "LINK", "GOAT", "SUSHI", "CAKE", "ALGO"})
# Everyday words never read as a coin just for standing next to one ("btc not eth").
_NEVER_LISTED: frozenset[str] = frozenset({"NOT", "ONE", "HIGH", "PEOPLE", "ACT", "ACE", "HOT",
                                           "ALT", "NEAR", "OP"})
# Words right after a lower-case coin that make it one ("ton price", "near doing", "bonk 24h").
_COIN_BEFORE: frozenset[str] = frozenset(
    {"price", "prices", "chart", "coin", "token", "doing", "24h", "usd", "usdt", "priced", "px"})
# Weaker neighbours: enough only for tickers that are not everyday words ("hype at today").
_COIN_NEAR: frozenset[str] = frozenset(
    {"at", "now", "today", "pump", "pumping", "pumped", "dump", "dumping", "dumped", "going",
     "looks", "looking", "moon", "mooning", "trend", "support", "resistance", "whales",
     "funding", "outlook", "levels", "bullish", "bearish", "chart", "ratio", "in", "terms",
     "trading", "sitting", "holding", "breaking", "bouncing", "dipping", "rallying",
     "vs", "or", "and"})
_COIN_AFTER: frozenset[str] = frozenset(
    {"buy", "sell", "short", "long", "hold", "holding", "bought", "sold", "shorting", "longing",
     "ape", "about", "is", "on", "for", "of", "and", "or", "vs"})


@dataclass(frozen=True, slots=True)
class SymbolHit:
    """A symbol found in text: its ticker and the token positions it covered."""

    symbol: str
    start: int
    stop: int


def _ticker_of(raw: str, book: SymbolBook) -> str | None:
    raw = fold(raw)
    cashtag = raw[:1] in "$#"
    token = pair_base(raw.lstrip("$#"))
    lower = token.lower()
    if lower.endswith("s") and lower[:-1] in book.tickers and lower not in book.tickers:
        lower = lower[:-1]  # "btcs", "eths"
    ticker = book.tickers.get(lower)
    if ticker is None:
        return None
    if (ticker in WORDLIKE_TICKERS or len(ticker) <= 2) and ticker not in book.configured:
        shouted = token.isupper() and len(token) >= 2
        if not (cashtag or shouted):
            return None
    return ticker


def _name_of(words: list[str], raw: list[str], book: SymbolBook) -> tuple[str, int] | None:
    """A coin name starting at words[0] (exact, or a typo of a long name)."""
    for size in (2, 1):
        if len(words) < size:
            continue
        phrase = " ".join(words[:size])
        ticker = book.names.get(phrase)
        if ticker is None:
            continue
        if phrase in WORDLIKE_NAMES and ticker not in book.configured and raw[0].islower():
            continue
        return ticker, size
    word = words[0]
    if len(word) < 6:
        return None
    best: tuple[int, bool, str] | None = None
    for name, ticker in book.names.items():
        if " " in name or len(name) < 6 or abs(len(name) - len(word)) > 2:
            continue
        if name in WORDLIKE_NAMES or word[0] != name[0]:
            continue
        distance = OSA.distance(word, name, score_cutoff=2)
        if distance <= (1 if len(name) < 9 else 2):
            rank = (distance, ticker not in book.configured, ticker)
            best = rank if best is None or rank < best else best
    return (best[2], 1) if best else None


def _in_coin_place(i: int, lowered: list[str], ticker: str) -> bool:
    """Whether the lower-case word-like ticker at ``lowered[i]`` stands where a coin would."""
    words = [w for w in lowered if w.strip("?!.,")]
    if len(words) == 1:
        return True  # "ton?", "hype"
    after = lowered[i + 1] if i + 1 < len(lowered) else ""
    before = lowered[i - 1] if i > 0 else ""
    if after in _COIN_BEFORE or (before == "of" and i > 1 and lowered[i - 2] in _COIN_BEFORE):
        return True
    if ticker in COMMON_WORD_TICKERS:
        return False
    return after in _COIN_NEAR or before in _COIN_AFTER


def _lowercase_coins(toks: list[str], lowered: list[str], book: SymbolBook,
                     taken: set[int]) -> list[SymbolHit]:
    """Word-like tickers written in lower case where a coin stands ("ton price", "how is near
    doing", "should i buy ton", "ton in btc terms")."""
    hits: list[SymbolHit] = []
    for _ in range(2):  # a second pass reads lists: "link, avax, dot" next to a coin found
        coins = taken | {hit.start for hit in hits}
        for i, word in enumerate(lowered):
            ticker = book.tickers.get(word)
            if i in coins or ticker is None or len(ticker) <= 2 or not toks[i][:1].isalpha():
                continue
            listed = ticker not in _NEVER_LISTED and bool({i - 1, i + 1} & coins)
            if listed or _in_coin_place(i, lowered, ticker):
                hits.append(SymbolHit(ticker, i, i + 1))
    return hits


def find_symbols(tokens: Iterable[str], book: SymbolBook) -> list[SymbolHit]:
    """Every symbol mentioned in ``tokens``, in order of appearance (a lower-case word-like
    ticker counts in a coin's place)."""
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
        named = _name_of(lowered[i:], [t.lstrip("$#") for t in toks[i:]], book)
        if named is not None:
            hits.append(SymbolHit(named[0], i, i + named[1]))
            i += named[1]
            continue
        i += 1
    taken = {i for hit in hits for i in range(hit.start, hit.stop)}
    more = _lowercase_coins(toks, lowered, book, taken)
    return sorted(hits + more, key=lambda hit: hit.start) if more else hits


def coins_in(text: str, book: SymbolBook) -> list[str]:
    """The different coins ``text`` names, in order ("btc, eth and xrp prices")."""
    from bot.qa.text import tokens  # text normalisation, imported where used

    return list(dict.fromkeys(hit.symbol for hit in find_symbols(tokens(text), book)))
