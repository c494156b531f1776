"""Timezones from users: names in any case, cities and whole-hour offsets accepted, ambiguous
abbreviations questioned, near misses get a suggestion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BadArgumentError
from bot.scheduling.timezones import parse_timezone

REAL_NAMES = sorted(available_timezones() - {"Factory", "localtime", "posixrules"})
# EST and MST are fixed offsets in the database; typed by people they mean a zone with daylight
# saving as often, so they get a question (test_ambiguous_abbreviations_get_a_question).
ANSWERED_NAMES = sorted(set(REAL_NAMES) - {"EST", "MST"})


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  EUROPE/BERLIN ", "Europe/Berlin"),
        ("america/new york", "America/New_York"),
        ("utc", "UTC"),
        ("Etc/GMT+2", "Etc/GMT+2"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("New York", "America/New_York"),
        ("Istanbul", "Europe/Istanbul"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Kyiv", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Moscow", "Europe/Moscow"),
        ("UTC+3", "Etc/GMT-3"),
        ("GMT-5", "Etc/GMT+5"),
        ("+03:00", "Etc/GMT-3"),
        ("GMT+2", "Etc/GMT-2"),
        ("+02:00", "Etc/GMT-2"),
        ("utc-5", "Etc/GMT+5"),
        ("UTC\u22125", "Etc/GMT+5"),
        ("UTC+0", "UTC"),
    ],
)
def test_iana_names_are_accepted_in_any_case(typed: str, zone: str) -> None:
    assert parse_timezone(typed) == ZoneInfo(zone)
    assert parse_timezone(typed).key == zone


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("Europe/Berln", "Europe/Berlin"),
        ("Europe/Berlinn", "Europe/Berlin"),
        ("Amerika/New_York", "America/New_York"),
        ("Tokio", "Asia/Tokyo"),
    ],
)
def test_near_misses_are_rejected_with_a_suggestion(typed: str, suggestion: str) -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_timezone(typed)
    assert caught.value.kind == "timezone"
    assert caught.value.reason == "unknown_timezone"
    assert caught.value.suggestion == suggestion
    assert caught.value.value == typed.strip()


@pytest.mark.parametrize("typed", ["xyz", "", "Mars/Olympus_Mons_Base", "localtime", "Factory"])
def test_unknown_names_are_rejected_with_examples(typed: str) -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_timezone(typed)
    assert caught.value.kind == "timezone"
    assert caught.value.suggestion is None
    assert "Europe/Berlin" in caught.value.examples


def test_a_fixed_offset_round_trips_through_its_stored_key() -> None:
    zone = parse_timezone("UTC+3")
    assert ZoneInfo(zone.key) == zone  # what the digest runner does with the stored text
    assert parse_timezone(zone.key).key == zone.key
    assert datetime(2026, 7, 1, tzinfo=zone).utcoffset() == timedelta(hours=3)


@pytest.mark.parametrize(("typed", "choices"), [
    ("EST", ("America/New_York", "UTC-5")),
    ("est", ("America/New_York", "UTC-5")),
    ("CST", ("America/Chicago", "Asia/Shanghai", "UTC-6")),
    ("IST", ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem")),
    ("PST", ("America/Los_Angeles", "UTC-8")),
    ("MST", ("America/Denver", "America/Phoenix", "UTC-7")),
])
def test_ambiguous_abbreviations_get_a_question(typed: str, choices: tuple[str, ...]) -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_timezone(typed)
    assert caught.value.kind == "timezone"
    assert caught.value.reason == "ambiguous_abbreviation"
    assert caught.value.examples == choices
    assert all(parse_timezone(choice) for choice in choices)


@pytest.mark.parametrize("typed", ["UTC+5:30", "GMT+5:45", "UTC+15", "UTC-13"])
def test_utc_offsets_are_refused_without_a_misleading_etc_suggestion(typed: str) -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_timezone(typed)
    assert caught.value.reason == "utc_offset"
    assert caught.value.suggestion is None


def test_path_like_input_never_reaches_the_filesystem() -> None:
    with pytest.raises(BadArgumentError):
        parse_timezone("../../etc/passwd")


@given(st.sampled_from(ANSWERED_NAMES),
       st.sampled_from([str.lower, str.upper, str.swapcase]))
def test_every_zone_name_is_found_whatever_its_case(
    name: str, recase: Callable[[str], str]
) -> None:
    assert parse_timezone(recase(name)).key == name


@given(st.text(max_size=30))
def test_any_text_is_a_zone_or_a_timezone_error(text: str) -> None:
    try:
        zone = parse_timezone(text)
    except BadArgumentError as error:
        assert error.kind == "timezone"
        if error.suggestion is not None:
            assert parse_timezone(error.suggestion).key == error.suggestion
    else:
        assert zone.key in REAL_NAMES


@pytest.mark.parametrize(("typed", "zone"), [
    ("WAT", "Africa/Lagos"), ("wib", "Asia/Jakarta"), ("PHT", "Asia/Manila"),
    ("pkt", "Asia/Karachi"), ("SGT", "Asia/Singapore"), ("brt", "America/Sao_Paulo"),
])
def test_abbreviations_that_name_one_zone_are_that_zone(typed: str, zone: str) -> None:
    assert parse_timezone(typed).key == zone


@pytest.mark.parametrize("word", ["cat", "eat", "wit"])
def test_everyday_words_are_not_read_as_zone_abbreviations(word: str) -> None:
    with pytest.raises(BadArgumentError):
        parse_timezone(word)
