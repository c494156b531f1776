"""Parsing schedules: accepted forms, canonical text, round-trips and clear rejections."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import BadArgumentError
from bot.scheduling.schedule import (
    ALL_DAYS,
    ALL_HOURS,
    ALL_MINUTES,
    ALL_MONTHS,
    ALL_WEEKDAYS,
    HOUR_INTERVALS,
    MINUTE_INTERVALS,
    Schedule,
    parse_schedule,
)


@pytest.mark.parametrize(
    ("typed", "canonical", "kind"),
    [
        ("daily 08:00", "daily 08:00", "daily"),
        ("Daily   8:05", "daily 08:05", "daily"),
        ("weekdays 09:30", "weekdays 09:30", "weekdays"),
        ("every 4h", "every 4h", "every"),
        ("every 4 hours", "every 4h", "every"),
        ("EVERY 30m", "every 30m", "every"),
        ("every 60m", "every 1h", "every"),
        ("every 120 minutes", "every 2h", "every"),
        ("hourly", "every 1h", "every"),
        ("every hour", "every 1h", "every"),
        ("every 1d", "daily 00:00", "daily"),
        ("every 24h", "daily 00:00", "daily"),
        ("* * * * *", "every 1m", "every"),
        ("*/15 * * * *", "every 15m", "every"),
        ("0 8 * * *", "daily 08:00", "daily"),
        ("30 9 * * mon-fri", "weekdays 09:30", "weekdays"),
        ("0 */6 * * *", "every 6h", "every"),
        ("0 9 * * 7", "0 9 * * 0", "cron"),
        ("0 9 * * SUN,sat", "0 9 * * 0,6", "cron"),
        ("*/20 0-6 1 jan,jun *", "*/20 0-6 1 1,6 *", "cron"),
        ("0 0 29 2 *", "0 0 29 2 *", "cron"),
        ("5 1,2,3,4 * * *", "5 1-4 * * *", "cron"),
    ],
)
def test_accepted_forms_show_their_canonical_text(typed: str, canonical: str, kind: str) -> None:
    schedule = parse_schedule(typed)
    assert schedule.text == canonical
    assert str(schedule) == canonical
    assert schedule.kind == kind


def test_equal_schedules_spelled_differently_share_one_job_key() -> None:
    assert parse_schedule("0 8 * * *") == parse_schedule("daily 08:00")
    assert parse_schedule("0 */4 * * *") == parse_schedule("every 4h")
    assert parse_schedule("0 9 * * 7") == parse_schedule("0 9 * * 0")


def test_every_interval_is_anchored_at_midnight() -> None:
    assert parse_schedule("every 4h").hours == frozenset({0, 4, 8, 12, 16, 20})
    assert parse_schedule("every 20m").minutes == frozenset({0, 20, 40})


@pytest.mark.parametrize(
    ("typed", "reason", "suggestion"),
    [
        ("every 5h", "uneven_interval", "every 4h"),
        ("every 7m", "uneven_interval", "every 6m"),
        ("every 90m", "uneven_interval", "every 1h"),
        ("every 2d", "uneven_interval", "daily 00:00"),
        ("every 0h", "uneven_interval", None),
        ("every often", "bad_interval", None),
        ("daily 25:00", "bad_time", None),
        ("daily 8", "bad_time", None),
        ("daily", "bad_time", None),
        ("weekdays 09:60", "bad_time", None),
        ("tomorrow", "unknown_format", None),
        ("", "unknown_format", None),
        ("* * * *", "unknown_format", None),
        ("61 * * * *", "cron_field", None),
        ("0 24 * * *", "cron_field", None),
        ("0 0 0 * *", "cron_field", None),
        ("0 0 * 13 *", "cron_field", None),
        ("0 0 * * 8", "cron_field", None),
        ("*/0 * * * *", "cron_field", None),
        ("0 0 * * fri-mon", "cron_field", None),
        ("0,,5 * * * *", "cron_field", None),
        ("x * * * *", "cron_field", None),
        ("² * * * *", "cron_field", None),
        ("0 0 30 2 *", "impossible_date", None),
        ("0 0 1 * 1", "day_and_weekday", None),
    ],
)
def test_bad_schedules_are_rejected_with_reason_and_examples(
    typed: str, reason: str, suggestion: str | None
) -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_schedule(typed)
    error = caught.value
    assert error.kind == "schedule"
    assert error.reason == reason
    assert error.suggestion == suggestion
    assert error.examples, "a reply needs valid examples to show"
    assert all(parse_schedule(example) for example in error.examples)


def test_uneven_interval_error_lists_only_valid_intervals() -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_schedule("every 5h")
    assert "every 4h" in caught.value.examples
    assert "every 6h" in caught.value.examples
    assert "every 5h" not in caught.value.examples
    assert caught.value.value == "every 5h"


def _subset(universe: frozenset[int]) -> st.SearchStrategy[frozenset[int]]:
    return st.one_of(
        st.just(universe),
        st.frozensets(st.sampled_from(sorted(universe)), min_size=1),
    )


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    minutes = draw(_subset(ALL_MINUTES))
    hours = draw(_subset(ALL_HOURS))
    months = draw(_subset(ALL_MONTHS))
    if draw(st.booleans()):
        days = draw(_subset(ALL_DAYS))
        weekdays = ALL_WEEKDAYS
        # keep the date possible: at least one day that every month has
        days = days | {draw(st.integers(1, 28))} if days != ALL_DAYS else days
    else:
        days = ALL_DAYS
        weekdays = draw(_subset(ALL_WEEKDAYS))
    return Schedule(minutes, hours, days, months, weekdays)


@given(schedules())
def test_canonical_text_round_trips(schedule: Schedule) -> None:
    reparsed = parse_schedule(schedule.text)
    assert reparsed == schedule
    assert reparsed.text == schedule.text


@given(st.integers(0, 23), st.integers(0, 59), st.sampled_from(["daily", "weekdays"]))
def test_clock_schedules_round_trip(hour: int, minute: int, form: str) -> None:
    schedule = parse_schedule(f"{form} {hour}:{minute:02d}")
    assert schedule.text == f"{form} {hour:02d}:{minute:02d}"
    assert parse_schedule(schedule.text) == schedule


@given(st.integers(1, 2000), st.sampled_from(["m", "h", "d"]))
def test_intervals_are_accepted_exactly_when_they_split_the_day(count: int, unit: str) -> None:
    minutes = count * {"m": 1, "h": 60, "d": 1440}[unit]
    valid = {*MINUTE_INTERVALS, *(h * 60 for h in HOUR_INTERVALS), 1440}
    if minutes in valid:
        schedule = parse_schedule(f"every {count}{unit}")
        assert parse_schedule(schedule.text) == schedule
    else:
        with pytest.raises(BadArgumentError) as caught:
            parse_schedule(f"every {count}{unit}")
        assert caught.value.reason == "uneven_interval"
        assert caught.value.suggestion is not None
        assert parse_schedule(caught.value.suggestion)


@given(st.text(max_size=40))
def test_any_text_either_parses_or_gives_a_schedule_error(text: str) -> None:
    try:
        schedule = parse_schedule(text)
    except BadArgumentError as error:
        assert error.kind == "schedule"
    else:
        assert parse_schedule(schedule.text) == schedule


@given(
    st.lists(
        st.sampled_from(["*", "*/5", "1", "1-5", "2-4/2", "mon", "jan", "7", "0", ",", "/"]),
        min_size=5,
        max_size=5,
    )
)
def test_cron_like_fields_either_parse_or_give_a_schedule_error(fields: list[str]) -> None:
    try:
        parse_schedule(" ".join(fields))
    except BadArgumentError as error:
        assert error.kind == "schedule"


def test_trigger_carries_the_timezone_it_was_given() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    trigger = parse_schedule("daily 08:00").trigger(berlin)
    assert trigger.timezone == berlin
    fire = trigger.get_next_fire_time(None, datetime(2026, 1, 15, tzinfo=UTC))
    assert fire is not None
    assert fire.astimezone(UTC) == datetime(2026, 1, 15, 7, 0, tzinfo=UTC)


def test_trigger_uses_cron_weekday_numbering() -> None:
    # 2026-01-04 is a Sunday; cron 0 = Sunday (APScheduler's own 0 would be Monday).
    trigger = parse_schedule("0 9 * * 0").trigger(ZoneInfo("UTC"))
    fire = trigger.get_next_fire_time(None, datetime(2026, 1, 1, tzinfo=UTC))
    assert fire == datetime(2026, 1, 4, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert fire is not None and fire.strftime("%A") == "Sunday"


@pytest.mark.parametrize(("typed", "canonical"), [
    ("daily 8am", "daily 08:00"),
    ("daily 8 am", "daily 08:00"),
    ("Daily 8:30 PM", "daily 20:30"),
    ("weekdays 12pm", "weekdays 12:00"),
    ("daily 12am", "daily 00:00"),
])
def test_twelve_hour_times_are_understood(typed: str, canonical: str) -> None:
    assert parse_schedule(typed).text == canonical


def test_a_thirteen_pm_time_is_refused_as_a_bad_time() -> None:
    with pytest.raises(BadArgumentError) as bad:
        parse_schedule("daily 13pm")
    assert bad.value.reason == "bad_time"


@pytest.mark.parametrize(("typed", "canonical"), [
    ("weekly", "0 8 * * 1"),
    ("weekly mondays 9am", "0 9 * * 1"),
    ("every monday at 9", "0 9 * * 1"),
    ("mondays and thursdays 18:00", "0 18 * * 1,4"),
    ("weekdays at 8", "weekdays 08:00"),
    ("every morning at 8", "daily 08:00"),
    ("every evening", "daily 18:00"),
    ("every evening at 7", "daily 19:00"),
    ("twice a day", "0 8,20 * * *"),
    ("daily 8:30 pm", "daily 20:30"),
    ("at noon", "daily 12:00"),
    ("daily at midnight", "daily 00:00"),
    ("weekends 11am", "0 11 * * 0,6"),
    ("every tuesady at 10am", "0 10 * * 2"),
    ("weekdays at 8 and 9pm", "0 8,21 * * 1-5"),
    ("hourly on weekdays", "0 * * * 1-5"),
    ("every 9am", "daily 09:00"),
    ("at 7 o'clock", "daily 07:00"),
])
def test_schedules_in_words(typed: str, canonical: str) -> None:
    schedule = parse_schedule(typed)
    assert schedule.text == canonical
    assert parse_schedule(schedule.text) == schedule


@pytest.mark.parametrize(("typed", "reason"), [
    ("daily at", "bad_time"),  # no time given: daily has no default
    ("weekdays 9", "bad_time"),  # a bare 9 could be 9 am or 9 pm
    ("mondays 25:00", "unknown_format"),
    ("at", "unknown_format"),
    ("at 8:30 and 20:00", "mixed_minutes"),
    ("twice a day at 9", "unknown_format"),  # twice, but one time: not read as cron either
])
def test_words_that_do_not_make_a_schedule_are_rejected(typed: str, reason: str) -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_schedule(typed)
    assert caught.value.reason == reason
    assert all(parse_schedule(example) for example in caught.value.examples)
