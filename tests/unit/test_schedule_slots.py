"""Slot arithmetic: wall-clock schedules across DST, anchoring, catch-up after downtime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.scheduling.schedule import ALL_DAYS, ALL_MONTHS, Schedule, parse_schedule
from bot.scheduling.slots import catch_up, due_slot, latest_slot, next_slot, slots_between

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


def local_day_slots(text: str, tz: ZoneInfo, year: int, month: int, day: int) -> list[datetime]:
    start = datetime(year, month, day, tzinfo=tz) - timedelta(microseconds=1)
    end = datetime(year, month, day, tzinfo=tz) + timedelta(days=1) - timedelta(microseconds=1)
    return slots_between(parse_schedule(text), tz, start.astimezone(UTC), end.astimezone(UTC))


def test_daily_berlin_slot_follows_winter_and_summer_time() -> None:
    daily = parse_schedule("daily 08:00")
    assert next_slot(daily, BERLIN, utc(2026, 1, 15)) == utc(2026, 1, 15, 7, 0)
    assert next_slot(daily, BERLIN, utc(2026, 7, 15)) == utc(2026, 7, 15, 6, 0)


def test_slots_are_aware_utc() -> None:
    slot = next_slot(parse_schedule("daily 08:00"), NEW_YORK, utc(2026, 1, 15))
    assert slot.tzinfo is UTC
    assert slot == utc(2026, 1, 15, 13, 0)


def test_berlin_spring_forward_moves_a_missing_wall_time_past_the_gap() -> None:
    # 2026-03-29 02:00 CET → 03:00 CEST: 02:30 does not exist; it fires at 03:30 CEST.
    assert local_day_slots("daily 02:30", BERLIN, 2026, 3, 29) == [utc(2026, 3, 29, 1, 30)]
    assert local_day_slots("daily 08:00", BERLIN, 2026, 3, 29) == [utc(2026, 3, 29, 6, 0)]


def test_berlin_spring_forward_hourly_has_23_slots_without_duplicates() -> None:
    slots = local_day_slots("every 1h", BERLIN, 2026, 3, 29)
    assert len(slots) == 23
    assert [s.astimezone(BERLIN).hour for s in slots] == [0, 1, *range(3, 24)]


def test_berlin_fall_back_sends_a_repeated_wall_time_once() -> None:
    # 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens twice; only the first is a slot.
    assert local_day_slots("daily 02:30", BERLIN, 2026, 10, 25) == [utc(2026, 10, 25, 0, 30)]


def test_berlin_fall_back_hourly_keeps_one_slot_per_wall_clock_hour() -> None:
    slots = local_day_slots("every 1h", BERLIN, 2026, 10, 25)
    assert [s.astimezone(BERLIN).hour for s in slots] == list(range(24))
    assert slots[2] == utc(2026, 10, 25, 0, 0)
    assert slots[3] == utc(2026, 10, 25, 2, 0)


def test_new_york_spring_forward_and_fall_back() -> None:
    # 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
    assert local_day_slots("daily 02:30", NEW_YORK, 2026, 3, 8) == [utc(2026, 3, 8, 7, 30)]
    assert local_day_slots("daily 01:30", NEW_YORK, 2026, 11, 1) == [utc(2026, 11, 1, 5, 30)]
    assert local_day_slots("daily 09:00", NEW_YORK, 2026, 11, 1) == [utc(2026, 11, 1, 14, 0)]


def test_every_4h_stays_on_local_midnight_anchors_across_the_shift() -> None:
    slots = local_day_slots("every 4h", BERLIN, 2026, 10, 25)
    assert [s.astimezone(BERLIN).hour for s in slots] == [0, 4, 8, 12, 16, 20]
    assert slots[1] - slots[0] == timedelta(hours=5)


@given(st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)))
def test_restart_at_any_moment_never_rephases_an_interval(after: datetime) -> None:
    slot = next_slot(parse_schedule("every 4h"), BERLIN, after)
    local = slot.astimezone(BERLIN)
    assert slot > after
    assert (local.hour % 4, local.minute, local.second) == (0, 0, 0)
    assert slot - after <= timedelta(hours=5)


def test_slots_between_excludes_start_and_includes_end() -> None:
    hourly = parse_schedule("every 1h")
    assert slots_between(hourly, BERLIN, utc(2026, 1, 1, 0), utc(2026, 1, 1, 2)) == [
        utc(2026, 1, 1, 1),
        utc(2026, 1, 1, 2),
    ]


def test_latest_slot_finds_the_slot_at_or_before_a_moment() -> None:
    daily = parse_schedule("daily 08:00")
    assert latest_slot(daily, BERLIN, utc(2026, 1, 15, 7, 0)) == utc(2026, 1, 15, 7, 0)
    assert latest_slot(daily, BERLIN, utc(2026, 1, 15, 6, 59)) == utc(2026, 1, 14, 7, 0)
    leap_day = parse_schedule("0 0 29 2 *")
    assert latest_slot(leap_day, BERLIN, utc(2027, 1, 1)) == utc(2024, 2, 28, 23, 0)


def test_job_running_late_within_grace_delivers_its_slot() -> None:
    daily = parse_schedule("daily 08:00")
    grace = timedelta(minutes=30)
    assert due_slot(daily, BERLIN, utc(2026, 1, 15, 7, 0, 2), grace) == utc(2026, 1, 15, 7)
    assert due_slot(daily, BERLIN, utc(2026, 1, 15, 7, 29), grace) == utc(2026, 1, 15, 7)
    assert due_slot(daily, BERLIN, utc(2026, 1, 15, 7, 31), grace) is None


def test_second_firing_of_a_repeated_wall_time_maps_to_the_first_slot() -> None:
    # APScheduler fires 02:30 twice on the fall-back day; the second run is the same slot.
    daily = parse_schedule("daily 02:30")
    second_firing = utc(2026, 10, 25, 1, 30)
    assert due_slot(daily, BERLIN, second_firing, timedelta(hours=2)) == utc(2026, 10, 25, 0, 30)
    assert due_slot(daily, BERLIN, second_firing, timedelta(minutes=30)) is None


def test_catch_up_sends_only_the_newest_missed_slot_within_grace() -> None:
    result = catch_up(
        parse_schedule("every 30m"),
        BERLIN,
        last_delivered_slot=utc(2026, 1, 1, 0, 0),
        now=utc(2026, 1, 1, 3, 10),
        grace=timedelta(minutes=30),
    )
    assert result.to_send == (utc(2026, 1, 1, 3, 0),)
    assert result.skipped == tuple(utc(2026, 1, 1, h, m) for h, m in
                                   [(0, 30), (1, 0), (1, 30), (2, 0), (2, 30)])
    assert result.older_not_listed is False


def test_catch_up_skips_everything_older_than_grace() -> None:
    result = catch_up(
        parse_schedule("daily 08:00"),
        BERLIN,
        last_delivered_slot=utc(2026, 1, 10, 7),
        now=utc(2026, 1, 12, 9),
        grace=timedelta(minutes=30),
    )
    assert result.to_send == ()
    assert result.skipped == (utc(2026, 1, 11, 7), utc(2026, 1, 12, 7))


def test_catch_up_after_no_downtime_does_nothing() -> None:
    result = catch_up(
        parse_schedule("daily 08:00"),
        BERLIN,
        last_delivered_slot=utc(2026, 1, 12, 7),
        now=utc(2026, 1, 12, 9),
        grace=timedelta(hours=12),
    )
    assert result == ((), (), False)


def test_catch_up_after_long_downtime_bounds_the_listing() -> None:
    result = catch_up(
        parse_schedule("every 1m"),
        BERLIN,
        last_delivered_slot=utc(2025, 1, 1),
        now=utc(2026, 1, 1),
        grace=timedelta(minutes=5),
        lookback=timedelta(hours=1),
    )
    assert result.to_send == (utc(2026, 1, 1),)
    assert len(result.skipped) == 59
    assert result.older_not_listed is True


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_slot(parse_schedule("daily 08:00"), BERLIN, datetime(2026, 1, 1))


def _every_day_schedules() -> st.SearchStrategy[Schedule]:
    minutes = st.frozensets(st.integers(0, 59), min_size=1, max_size=4)
    hours = st.frozensets(st.integers(0, 23), min_size=1, max_size=6)
    weekdays = st.frozensets(st.integers(0, 6), min_size=1)
    return st.builds(Schedule, minutes, hours, st.just(ALL_DAYS), st.just(ALL_MONTHS), weekdays)


@settings(max_examples=40, deadline=None)
@given(
    _every_day_schedules(),
    st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["UTC", "Asia/Kolkata", "Asia/Kathmandu"]),
)
def test_next_slot_is_the_first_matching_minute_without_dst(
    schedule: Schedule, after: datetime, zone: str
) -> None:
    tz = ZoneInfo(zone)
    found = next_slot(schedule, tz, after)
    minute = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while True:
        local = minute.astimezone(tz)
        if (
            local.minute in schedule.minutes
            and local.hour in schedule.hours
            and (local.isoweekday() % 7) in schedule.weekdays
        ):
            break
        minute += timedelta(minutes=1)
    assert found == minute


_SPRING_GAP_HOURS = Schedule(frozenset({0, 30}), frozenset({1, 2, 3}))


@settings(max_examples=60, deadline=None)
@example(_SPRING_GAP_HOURS, datetime(2026, 3, 25, tzinfo=UTC), "Europe/Berlin")
@example(_SPRING_GAP_HOURS, datetime(2026, 10, 20, tzinfo=UTC), "Europe/Berlin")
@example(_SPRING_GAP_HOURS, datetime(2026, 3, 5, tzinfo=UTC), "America/New_York")
@example(_SPRING_GAP_HOURS, datetime(2026, 10, 28, tzinfo=UTC), "America/New_York")
@example(_SPRING_GAP_HOURS, datetime(2026, 4, 1, tzinfo=UTC), "Australia/Lord_Howe")
@example(_SPRING_GAP_HOURS, datetime(2026, 9, 30, tzinfo=UTC), "Australia/Lord_Howe")
@given(
    _every_day_schedules(),
    st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Sydney",
                     "Australia/Lord_Howe"]),
)
def test_slots_with_dst_increase_and_never_repeat_a_wall_time(
    schedule: Schedule, after: datetime, zone: str
) -> None:
    tz = ZoneInfo(zone)
    slots = slots_between(schedule, tz, after, after + timedelta(days=9))
    assert slots and slots == sorted(set(slots))
    walls = [s.astimezone(tz).replace(tzinfo=None, fold=0) for s in slots]
    assert len(set(walls)) == len(walls)
    for slot, wall in zip(slots, walls, strict=True):
        matches = wall.minute in schedule.minutes and wall.hour in schedule.hours
        # only a slot moved past a spring gap may show a wall time outside the schedule
        assert matches or (slot - timedelta(hours=1)).astimezone(tz).utcoffset() != (
            slot.astimezone(tz).utcoffset()
        )


def test_an_hour_lost_to_the_spring_gap_does_not_send_the_next_hours_digest_twice() -> None:
    schedule = parse_schedule("0 2,3 * * 0")
    tz = ZoneInfo("Europe/Berlin")
    sunday = datetime(2020, 3, 28, 12, tzinfo=UTC)  # the clocks jump 02:00 → 03:00 on the 29th

    slots = slots_between(schedule, tz, sunday, sunday + timedelta(days=1))

    assert slots == [datetime(2020, 3, 29, 1, tzinfo=UTC)]
