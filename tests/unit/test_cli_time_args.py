"""The CLI's --at / --every arguments become aware UTC times and durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cli_args import parse_duration, parse_when
from bot.errors import BadArgumentError

NOON = datetime(2026, 2, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed",
    ["2026-02-04T12:00:00Z", "2026-02-04T12:00", "2026-02-04T13:00+01:00", " 2026-02-04T12:00Z "],
)
def test_at_in_any_iso_spelling_is_the_same_utc_moment(typed: str) -> None:
    when = parse_when(typed)
    assert when == NOON
    assert when is not None and when.utcoffset() == timedelta(0)


def test_no_at_means_now() -> None:
    assert parse_when(None) is None


def test_at_that_is_not_a_time_names_the_input_and_an_example() -> None:
    with pytest.raises(BadArgumentError, match=r"'yesterday'.*2026-02-04T12:00:00Z"):
        parse_when("yesterday")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("30s", timedelta(seconds=30)), ("5m", timedelta(minutes=5)), ("1.5h", timedelta(minutes=90)),
     ("2d", timedelta(days=2))],
)
def test_durations_read_their_unit(typed: str, expected: timedelta) -> None:
    assert parse_duration(typed) == expected


@pytest.mark.parametrize("typed", ["0m", "5", "5w", "-1h"])
def test_zero_unitless_or_unknown_durations_are_rejected(typed: str) -> None:
    with pytest.raises(BadArgumentError, match="is not a duration"):
        parse_duration(typed)
