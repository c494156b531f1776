"""What users type resolves to configured symbols, with "did you mean" for near misses."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.errors import UnknownSymbolError
from bot.symbols import SymbolResolver


@pytest.fixture
def resolver(settings: Settings) -> SymbolResolver:
    return SymbolResolver(settings)


@pytest.mark.parametrize(("typed", "symbol"), [
    ("btc", "BTC"), ("$ETH", "ETH"), ("/sol", "SOL"), ("Bitcoin", "BTC"), ("xbt", "BTC"),
    ("ether", "ETH"), ("solana", "SOL"), ("ETHUSDT", "ETH"),
])
def test_tickers_aliases_and_names_resolve_exactly(
    resolver: SymbolResolver, typed: str, symbol: str
) -> None:
    assert resolver.resolve(typed) == symbol


@pytest.mark.parametrize(("typed", "suggestion"), [
    ("etherium", "ETH"), ("btcc", "BTC"), ("solanna", "SOL"), ("eht", "ETH"), ("bitcoinn", "BTC"),
])
def test_near_misses_suggest_a_configured_symbol(
    resolver: SymbolResolver, typed: str, suggestion: str
) -> None:
    with pytest.raises(UnknownSymbolError) as caught:
        resolver.resolve(typed)
    assert caught.value.suggestion == suggestion


@pytest.mark.parametrize("typed", ["XYZ", "doge", "bnb", "hello world", "x"])
def test_real_but_uncovered_coins_and_junk_get_no_false_suggestion(
    resolver: SymbolResolver, typed: str
) -> None:
    with pytest.raises(UnknownSymbolError) as caught:
        resolver.resolve(typed)
    assert caught.value.suggestion is None



@pytest.mark.parametrize("typed", [
    "ＢＴＣ", "\u200fbtc\u200f", "\u202ebtc", "BTC/USDT", "btc-usd", "btcusdt", "SOL/USDT:USDT",
    "$btc", "#BTC", "xbt",
])
def test_every_entry_point_normalises_alike(settings: Settings, typed: str) -> None:
    from bot.market.source import configured_symbol
    from bot.qa.symbols import find_symbols
    from bot.symbols import symbol_book

    resolved = SymbolResolver(settings).resolve(typed)
    assert configured_symbol(settings, typed).name == resolved
    hits = find_symbols([typed], symbol_book(settings))
    assert [h.symbol for h in hits] == [resolved]
