"""Questions about two units at once: cross rates ("eth vs btc") and conversions
("0.5 btc in usd", "how many eth for 5000 usdt").

A cross rate needs two coins side by side or joined by a comparing word; a conversion
needs an amount written next to its unit and a second unit introduced by "in", "to",
"=", "worth", "how many"… Stablecoins and dollars are taken at one dollar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.qa import intents as cat
from bot.qa.symbols import find_symbols
from bot.qa.text import tokens
from bot.symbols import SymbolBook

_AMOUNT_RE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s*([km])?(?![\w.])", re.IGNORECASE)
_PREPARE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"(\d),(\d{3})(?!\d)", r"\1\2"),  # 1,000 → 1000
        (r"\$\s*(\d[\d.]*)", r" \1 usd "),  # $250 → 250 usd
        (r"(\d)\s*\$", r"\1 usd "),  # 250$ → 250 usd
        (r"=", " to "),
        (r"\b(?:one|a single|uno|una|un|um|uma|один|одна|bir|ein|eine)\s+(?=[a-z$])", " 1 "),
        (r"(?<=[a-z]{2})\s*/\s*(?!(?:usdt|usdc|usd|busd)\b)(?=[a-z]{2})", " vs "),
        (r",", " and "),
    )
)
# What may stand between two coins of a cross rate ("eth vs btc", "sol in btc terms").
_BETWEEN = frozenset({"vs", "against", "in", "per", "compared", "relative", "doing",
                      "performing", "priced", "price", "ratio", "terms", "of", "to"})
_JOINS = frozenset({"vs", "against", "in", "per", "compared", "relative"})


@dataclass(frozen=True, slots=True)
class PairAsk:
    """A question about two units: ``base`` priced in ``quote``, or ``amount`` of ``base``
    converted into ``quote`` (units are tickers; dollars are ``USD``, ``USDT`` or ``USDC``)."""

    base: str
    quote: str
    amount: float | None = None

    @property
    def coins(self) -> tuple[str, ...]:
        """The coins whose prices the answer needs (dollar units need none)."""
        return tuple(u for u in (self.base, self.quote) if not is_dollar(u))


def is_dollar(unit: str) -> bool:
    """True for US dollars and the dollar stablecoins."""
    return unit in cat.DOLLAR_UNITS.values()


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str  # "amount", "unit" or "word"
    value: str
    amount: float = 0.0


def _items(text: str, book: SymbolBook) -> list[_Item]:
    amounts: list[float] = []

    def keep(m: re.Match[str]) -> str:
        scale = {"k": 1e3, "m": 1e6}.get((m.group(2) or "").lower(), 1.0)
        amounts.append(float(m.group(1).replace(",", ".")) * scale)
        return f" amt{len(amounts) - 1} "

    for pattern, replacement in _PREPARE:
        text = pattern.sub(replacement, text)
    toks = tokens(_AMOUNT_RE.sub(keep, text))
    hits = {h.start: h for h in find_symbols(toks, book)}
    items: list[_Item] = []
    i = 0
    while i < len(toks):
        if i in hits:
            symbol = hits[i].symbol
            items.append(_Item("unit", cat.DOLLAR_UNITS.get(symbol.lower(), symbol)))
            i = hits[i].stop
            continue
        items += _word_items(toks[i].lower(), amounts, book)
        i += 1
    return items


def _word_items(word: str, amounts: list[float], book: SymbolBook) -> list[_Item]:
    """A word that is no coin mention: an amount, a dollar unit, a glued pair or a word."""
    if word.startswith("amt") and word[3:].isdigit() and int(word[3:]) < len(amounts):
        return [_Item("amount", word, amounts[int(word[3:])])]
    if word in cat.DOLLAR_UNITS:
        return [_Item("unit", cat.DOLLAR_UNITS[word])]
    glued = _glued_pair(word, book)
    if glued is not None:  # "ethbtc"
        return [_Item("unit", glued[0]), _Item("word", "vs"), _Item("unit", glued[1])]
    return [_Item("word", word)]


def _glued_pair(word: str, book: SymbolBook) -> tuple[str, str] | None:
    """("ETH", "BTC") for "ethbtc": two coins the bot follows, written as one word."""
    for cut in range(2, len(word) - 1):
        base, quote = book.tickers.get(word[:cut]), book.tickers.get(word[cut:])
        if base and quote and base != quote and all(map(book.is_configured, (base, quote))):
            return base, quote
    return None


def _conversion(items: list[_Item]) -> PairAsk | None:
    start = next((i for i, it in enumerate(items[:-1])
                  if it.kind == "amount" and items[i + 1].kind == "unit"), None)
    if start is None:
        return None
    amount, source = items[start].amount, items[start + 1].value
    for i, it in enumerate(items):
        if it.kind != "unit" or it.value == source or i == start + 1:
            continue
        before = {x.value for x in items[max(0, i - 3):i] if x.kind == "word"}
        if before & cat.CONVERT_CUES and not (is_dollar(it.value) and is_dollar(source)):
            return PairAsk(source, it.value, amount)
    words = {it.value for it in items if it.kind == "word"}
    if not is_dollar(source) and ({"worth", "value"} & words or {"how", "much"} <= words):
        return PairAsk(source, "USD", amount)  # "how much is 0.5 btc (worth)?"
    return None


def _cross(items: list[_Item]) -> PairAsk | None:
    coins = [i for i, it in enumerate(items) if it.kind == "unit" and not is_dollar(it.value)]
    if len({items[i].value for i in coins}) != 2 or len(coins) != 2:
        return None
    first, second = coins
    between = {it.value for it in items[first + 1:second]}
    words = {it.value for it in items if it.kind == "word"}
    if words & cat.COMPARE_WORDS:  # "is sol stronger than eth", "compare btc and eth"
        return PairAsk(items[first].value, items[second].value)
    if not between <= _BETWEEN:
        return None
    if between & _JOINS or words & cat.CROSS_CUES or (len(items) == 2 and not between):
        return PairAsk(items[first].value, items[second].value)
    return None


def find_pair(text: str, book: SymbolBook) -> tuple[str, PairAsk] | None:
    """("convert" | "cross", the pair) when ``text`` asks about two units, else ``None``."""
    items = _items(text, book)
    conversion = _conversion(items)
    if conversion is not None:
        return "convert", conversion
    cross = _cross(items)
    return ("cross", cross) if cross is not None else None
