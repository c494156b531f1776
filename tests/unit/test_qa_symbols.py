"""Symbol extraction: tickers, cashtags, pairs, names, typos, word-like tickers."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.qa.symbols import find_symbols
from bot.qa.text import tokens
from bot.symbols import symbol_book


def _symbols(text: str, settings: Settings) -> list[str]:
    return [hit.symbol for hit in find_symbols(tokens(text), symbol_book(settings))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("btc price", ["BTC"]),
        ("$eth funding", ["ETH"]),
        ("#SOL?", ["SOL"]),
        ("BTC/USDT high", ["BTC"]),
        ("btcusdt volume", ["BTC"]),
        ("eth's oi", ["ETH"]),
        ("etherium price", ["ETH"]),
        ("solona support", ["SOL"]),
        ("bitcoin cash price", ["BCH"]),
        ("ether and bitcoin", ["ETH", "BTC"]),
        ("what about dogecoin", ["DOGE"]),
        ("xbt range", ["BTC"]),
    ],
)
def test_tickers_names_and_pairs_are_recognised(
    settings: Settings, text: str, expected: list[str]
) -> None:
    assert _symbols(text, settings) == expected


def test_word_like_tickers_count_only_in_capitals_or_as_cashtags(settings: Settings) -> None:
    assert _symbols("is btc near support", settings) == ["BTC"]
    assert _symbols("link me the chart", settings) == []
    assert _symbols("what about LINK", settings) == ["LINK"]
    assert _symbols("$near price", settings) == ["NEAR"]


def test_configured_symbols_are_supported_and_others_are_not(settings: Settings) -> None:
    book = symbol_book(settings)
    assert book.is_configured("ETH")
    assert not book.is_configured("DOGE")


def test_coins_of_the_bundled_table_are_recognised_and_unsupported(settings: Settings) -> None:
    book = symbol_book(settings)
    assert _symbols("what about pendle", settings) == ["PENDLE"]
    assert _symbols("arbitrum funding", settings) == ["ARB"]
    assert not book.is_configured("PENDLE")


def test_coin_names_that_are_words_need_a_capital_and_no_near_miss_counts(
    settings: Settings,
) -> None:
    assert _symbols("render the chart", settings) == []
    assert _symbols("optimism is back", settings) == []
    assert _symbols("Optimism price", settings) == ["OP"]
    assert _symbols("how's the rsi looking", settings) == []
    assert _symbols("hyperliquid whales", settings) == []
    assert _symbols("any alts pumping", settings) == []
