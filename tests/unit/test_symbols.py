"""What users type resolves to configured symbols, with "did you mean" for near misses."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.errors import UnknownSymbolError
from bot.symbols import Listing, SymbolResolver


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


LISTING = Listing("binance", frozenset({"BTC", "ETH", "SOL", "DOGE", "XRP", "HYPE", "TON",
                                        "PEPE", "BTT"}))


@pytest.fixture
def listed(settings: Settings) -> SymbolResolver:
    return SymbolResolver(settings, listing=lambda: LISTING)


@pytest.mark.parametrize(("typed", "symbol"), [
    ("doge", "DOGE"), ("$XRP", "XRP"), ("dogecoin", "DOGE"), ("hype", "HYPE"), ("ton", "TON"),
    ("PEPE/USDT", "PEPE"), ("btc", "BTC"), ("notacoin", None),
])
def test_any_base_the_spot_venue_lists_resolves(
    listed: SymbolResolver, typed: str, symbol: str | None
) -> None:
    if symbol is None:
        with pytest.raises(UnknownSymbolError):
            listed.resolve(typed)
    else:
        assert listed.resolve(typed) == symbol


def test_a_listed_ticker_is_never_corrected_to_a_configured_one(listed: SymbolResolver) -> None:
    assert listed.resolve("btt") == "BTT"  # not "did you mean BTC?"
    with pytest.raises(UnknownSymbolError) as caught:
        listed.resolve("bct")
    assert caught.value.suggestion == "BTC"


def test_an_unlisted_coin_names_the_venue_and_suggests_a_close_listed_base(
    listed: SymbolResolver,
) -> None:
    with pytest.raises(UnknownSymbolError) as caught:
        listed.resolve("dogee")
    assert (caught.value.venue, caught.value.suggestion) == ("binance", "DOGE")
    with pytest.raises(UnknownSymbolError) as unlisted:
        listed.resolve("shib")  # a real coin this venue does not list: no guess
    assert (unlisted.value.venue, unlisted.value.suggestion) == ("binance", None)


def test_an_injected_listing_makes_listed_coins_supported_in_free_text(
    settings: Settings,
) -> None:
    from bot.symbols import symbol_book, use_listing

    assert not symbol_book(settings).is_configured("DOGE")
    use_listing(settings, lambda: LISTING)
    try:
        assert symbol_book(settings).is_configured("DOGE")
        assert SymbolResolver(settings).resolve("doge") == "DOGE"
    finally:
        use_listing(settings, None)
    assert not symbol_book(settings).is_configured("DOGE")
