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
