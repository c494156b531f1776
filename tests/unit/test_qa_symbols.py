"""Symbol extraction: tickers, cashtags, pairs, names, typos, word-like tickers."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.qa.symbols import find_symbols, symbol_book
from bot.qa.text import tokens


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
