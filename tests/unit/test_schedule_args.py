"""Splitting /subscribe arguments into symbols and a schedule."""

from __future__ import annotations

import pytest

from bot.errors import BadArgumentError
from bot.scheduling.args import split_schedule_words


@pytest.mark.parametrize(
    ("typed", "symbols", "schedule"),
    [
        ("BTC ETH daily 08:00", ("BTC", "ETH"), "daily 08:00"),
        ("btc every 4 hours", ("btc",), "every 4h"),
        ("every 30m", (), "every 30m"),
        ("SOL Weekdays 9:30", ("SOL",), "weekdays 09:30"),
        ("BTC 0 8 * * 1-5", ("BTC",), "weekdays 08:00"),
        ("* * * * *", (), "every 1m"),
        ("BTC hourly", ("BTC",), "every 1h"),
        ("BTC ETH", ("BTC", "ETH"), None),
        ("1INCH BTC ETH SOL AVAX", ("1INCH", "BTC", "ETH", "SOL", "AVAX"), None),
        ("", (), None),
    ],
)
def test_symbols_and_schedule_are_told_apart(
    typed: str, symbols: tuple[str, ...], schedule: str | None
) -> None:
    found_symbols, found_schedule = split_schedule_words(typed.split())
    assert found_symbols == symbols
    assert (found_schedule.text if found_schedule else None) == schedule


@pytest.mark.parametrize("typed", ["BTC every 5h", "BTC daily 8", "BTC 0 25 * * *"])
def test_a_malformed_schedule_part_is_reported_not_taken_for_symbols(typed: str) -> None:
    with pytest.raises(BadArgumentError) as caught:
        split_schedule_words(typed.split())
    assert caught.value.kind == "schedule"


@pytest.mark.parametrize(("words", "symbols", "canonical"), [
    ("every 4h btc", ("btc",), "every 4h"),
    ("daily 08:00 btc eth", ("btc", "eth"), "daily 08:00"),
    ("0 8 * * * btc", ("btc",), "daily 08:00"),
    ("btc 0 8 * * *", ("btc",), "daily 08:00"),
    # schedule words are never taken for coins, before or after them
    ("eth weekly", ("eth",), "0 8 * * 1"),
    ("weekly btc", ("btc",), "0 8 * * 1"),
    ("eth weekly mondays 9am", ("eth",), "0 9 * * 1"),
    ("btc 9am daily", ("btc",), "daily 09:00"),
    ("mon wed fri 8am sol", ("sol",), "0 8 * * 1,3,5"),
    ("btc every monday at 9", ("btc",), "0 9 * * 1"),
    ("eth btc twice a day", ("eth", "btc"), "0 8,20 * * *"),
    ("btc wekly", ("btc",), "0 8 * * 1"),
])
def test_coins_may_stand_before_or_after_the_schedule(words: str, symbols: tuple[str, ...],
                                                       canonical: str) -> None:
    got_symbols, schedule = split_schedule_words(words.split())
    assert got_symbols == symbols
    assert schedule is not None and schedule.text == canonical


def test_four_cron_words_after_a_coin_are_not_read_as_cron_with_the_coin_as_minute() -> None:
    symbols, schedule = split_schedule_words(["btc", "0", "8", "*", "*"])
    assert schedule is None and symbols == ("btc", "0", "8", "*", "*")


@pytest.mark.parametrize(("typed", "suggestion"), [("08:00", "daily 08:00"), ("4h", "every 4h")])
def test_a_schedule_missing_its_keyword_gets_the_likely_meaning(typed: str,
                                                               suggestion: str) -> None:
    from bot.scheduling.schedule import parse_schedule

    with pytest.raises(BadArgumentError) as bad:
        parse_schedule(typed)
    assert bad.value.reason == "unknown_format" and bad.value.suggestion == suggestion


def test_a_short_day_name_alone_does_not_start_a_schedule() -> None:
    # "SUN" is also a coin ticker: alone it stays a word for the symbol table to judge
    assert split_schedule_words(["sun"]) == (("sun",), None)


def test_a_schedule_word_left_over_is_reported_not_taken_for_a_coin() -> None:
    with pytest.raises(BadArgumentError) as caught:
        split_schedule_words(["every", "4h", "btc", "weekly"])
    assert caught.value.kind == "schedule"
