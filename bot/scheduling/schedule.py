"""Digest schedules: parsing, canonical text and the APScheduler trigger.

Accepted forms (case and spacing are free):

- ``daily HH:MM`` — every day at that wall-clock time in the chat's timezone.
- ``weekdays HH:MM`` — Monday to Friday at that time.
- ``every N<unit>`` — N minutes (``m``), hours (``h``) or ``1d``. Intervals are anchored like
  cron at 00:00 local time (``every 4h`` = 00:00, 04:00 …), so a restart never re-phases them.
  The interval must split an hour or a day evenly: minutes 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30;
  hours 1, 2, 3, 4, 6, 8, 12; ``1d`` / ``24h`` mean ``daily 00:00``. ``hourly`` = ``every 1h``.
- schedules in words (see :mod:`bot.scheduling.phrases`): ``weekly``, ``every monday at 9``,
  ``mondays and thursdays 18:00``, ``every evening``, ``twice a day``, ``at noon`` …
- a 5-field crontab expression (``minute hour day month weekday``, weekday 0 or 7 = Sunday).
  Restricting both day of month and day of week is rejected: cron ORs them, APScheduler ANDs
  them, and either reading would surprise someone.

A :class:`Schedule` is the set of wall-clock times it fires at, so equal schedules compare equal
whatever their spelling (``0 8 * * *`` == ``daily 08:00``). Its canonical text is the friendliest
form that describes it, and ``parse_schedule(str(s)) == s`` always holds.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from apscheduler.triggers.cron import CronTrigger

from bot.errors import BadArgumentError
from bot.scheduling import phrases
from bot.scheduling.cronfields import (
    CRON_EXAMPLES,
    DAY,
    FIELDS,
    HOUR,
    MINUTE,
    MONTH,
    format_field,
    parse_field,
)

ScheduleKind = Literal["daily", "weekdays", "every", "cron"]

SCHEDULE_EXAMPLES = ("daily 08:00", "weekdays 09:30", "every 4h", "every 30m", "0 */6 * * 1-5")
MINUTE_INTERVALS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)
HOUR_INTERVALS = (1, 2, 3, 4, 6, 8, 12)
#: Valid intervals, the most useful first (replies show the first few).
INTERVAL_EXAMPLES = tuple(dict.fromkeys((
    "every 1h", "every 4h", "every 12h", "every 30m", "every 15m",
    *(f"every {n}h" for n in HOUR_INTERVALS),
    *(f"every {n}m" for n in MINUTE_INTERVALS),
    "every 1d",
)))

ALL_MINUTES = MINUTE.all_values
ALL_HOURS = HOUR.all_values
ALL_DAYS = DAY.all_values
ALL_MONTHS = MONTH.all_values
ALL_WEEKDAYS = frozenset(range(7))
MONDAY_TO_FRIDAY = frozenset(range(1, 6))
_APS_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
# 12-hour clock as people type it: 8am, 8:30pm, 12 pm
_TIME_12H = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?", re.IGNORECASE)
_INTERVAL = re.compile(
    r"every\s*(\d*)\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)", re.IGNORECASE
)
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440}


@dataclass(frozen=True)
class Schedule:
    """The wall-clock times a digest is due; weekdays in cron numbering (0 = Sunday)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] = ALL_DAYS
    months: frozenset[int] = ALL_MONTHS
    weekdays: frozenset[int] = ALL_WEEKDAYS

    def __post_init__(self) -> None:
        bounds = (ALL_MINUTES, ALL_HOURS, ALL_DAYS, ALL_MONTHS, ALL_WEEKDAYS)
        for values, allowed in zip(self._fields(), bounds, strict=True):
            if not values or not values <= allowed:
                raise ValueError(f"schedule field {sorted(values)} outside {sorted(allowed)}")

    def _fields(self) -> tuple[frozenset[int], ...]:
        return (self.minutes, self.hours, self.days, self.months, self.weekdays)

    @property
    def kind(self) -> ScheduleKind:
        """Which of the accepted forms the canonical text uses."""
        return _canonical(self)[0]

    @property
    def text(self) -> str:
        """Canonical text; parsing it gives back an equal schedule."""
        return _canonical(self)[1]

    def __str__(self) -> str:
        return self.text

    def trigger(self, tz: tzinfo) -> CronTrigger:
        """An APScheduler trigger firing at these wall-clock times in ``tz`` (given explicitly)."""
        weekdays = "*"
        if self.weekdays != ALL_WEEKDAYS:
            weekdays = ",".join(_APS_WEEKDAYS[d] for d in sorted(self.weekdays))
        return CronTrigger(
            month=format_field(MONTH, self.months),
            day=format_field(DAY, self.days),
            day_of_week=weekdays,
            hour=format_field(HOUR, self.hours),
            minute=format_field(MINUTE, self.minutes),
            second=0,
            timezone=tz,
        )


def _canonical(s: Schedule) -> tuple[ScheduleKind, str]:
    every_day = s.days == ALL_DAYS and s.months == ALL_MONTHS
    one_time = len(s.minutes) == 1 and len(s.hours) == 1
    clock = f"{min(s.hours):02d}:{min(s.minutes):02d}"
    if every_day and s.weekdays == ALL_WEEKDAYS:
        if one_time:
            return "daily", f"daily {clock}"
        if s.hours == ALL_HOURS:
            for n in MINUTE_INTERVALS:
                if s.minutes == frozenset(range(0, 60, n)):
                    return "every", f"every {n}m"
        if s.minutes == {0}:
            for n in HOUR_INTERVALS:
                if s.hours == frozenset(range(0, 24, n)):
                    return "every", f"every {n}h"
    if every_day and s.weekdays == MONDAY_TO_FRIDAY and one_time:
        return "weekdays", f"weekdays {clock}"
    fields = (s.minutes, s.hours, s.days, s.months, s.weekdays)
    return "cron", " ".join(format_field(f, v) for f, v in zip(FIELDS, fields, strict=True))


def _error(
    message: str,
    reason: str,
    value: str,
    *,
    suggestion: str | None = None,
    examples: tuple[str, ...] = SCHEDULE_EXAMPLES,
) -> BadArgumentError:
    return BadArgumentError(
        message, kind="schedule", reason=reason, value=value,
        suggestion=suggestion, examples=examples,
    )


def _parse_clock(text: str, whole: str) -> tuple[int, int]:
    twelve = _TIME_12H.fullmatch(text)
    if twelve is not None and 1 <= int(twelve[1]) <= 12 and int(twelve[2] or 0) <= 59:
        hour = int(twelve[1]) % 12 + (12 if twelve[3].lower() == "p" else 0)
        return hour, int(twelve[2] or 0)
    match = _TIME.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise _error(f"{text!r} is not a time of day HH:MM", "bad_time", whole)
    return int(match[1]), int(match[2])


def _nearest_interval(minutes: int) -> str:
    valid = [*MINUTE_INTERVALS, *(h * 60 for h in HOUR_INTERVALS), 1440]
    best = min(valid, key=lambda v: (abs(v - minutes), v))
    return parse_schedule(f"every {best}m").text


def _parse_interval(text: str, whole: str) -> Schedule:
    match = _INTERVAL.fullmatch(text)
    if match is None:
        raise _error(f"{whole!r} is not an interval such as every 4h", "bad_interval", whole,
                     examples=INTERVAL_EXAMPLES)
    count = int(match[1]) if match[1] else 1
    minutes = count * _UNIT_MINUTES[match[2][0]]
    if minutes in MINUTE_INTERVALS:
        return Schedule(minutes=frozenset(range(0, 60, minutes)), hours=ALL_HOURS)
    if minutes % 60 == 0 and minutes // 60 in HOUR_INTERVALS:
        return Schedule(minutes=frozenset({0}), hours=frozenset(range(0, 24, minutes // 60)))
    if minutes == 1440:
        return Schedule(minutes=frozenset({0}), hours=frozenset({0}))
    raise _error(
        f"interval {whole!r} does not split an hour or a day evenly",
        "uneven_interval",
        whole,
        suggestion=_nearest_interval(minutes) if minutes > 0 else None,
        examples=INTERVAL_EXAMPLES,
    )


def _parse_cron(words: list[str], whole: str) -> Schedule:
    minutes, hours, days, months, weekdays = (
        parse_field(f, w) for f, w in zip(FIELDS, words, strict=True)
    )
    if days != ALL_DAYS and weekdays != ALL_WEEKDAYS:
        raise _error(f"{whole!r} restricts both day of month and day of week",
                     "day_and_weekday", whole, examples=CRON_EXAMPLES)
    longest = max(calendar.monthrange(2024, m)[1] for m in months)
    if min(days) > longest:
        raise _error(f"{whole!r} names a day that never occurs in its months",
                     "impossible_date", whole, examples=CRON_EXAMPLES)
    return Schedule(minutes, hours, days, months, weekdays)


def parse_schedule(text: str) -> Schedule:
    """The schedule ``text`` describes; BadArgumentError (kind="schedule") when it is not one."""
    whole = " ".join(text.split())
    lowered = whole.lower()
    words = lowered.split(" ")
    if words[0] in ("daily", "weekdays") and len(words) == 3 and words[2].lower().rstrip(".") in (
            "am", "pm", "a.m", "p.m"):
        words = [words[0], words[1] + words[2]]
    if words[0] in ("daily", "weekdays") and len(words) == 2 and words[1][:1].isdigit():
        hour, minute = _parse_clock(words[1], whole)
        weekdays = ALL_WEEKDAYS if words[0] == "daily" else MONDAY_TO_FRIDAY
        return Schedule(frozenset({minute}), frozenset({hour}), weekdays=weekdays)
    if lowered == "hourly":
        return Schedule(minutes=frozenset({0}), hours=ALL_HOURS)
    if lowered.startswith("every") and _INTERVAL.fullmatch(lowered):
        return _parse_interval(lowered, whole)
    in_words = _parse_phrase(lowered, whole)
    if in_words is not None:
        return in_words
    if words[0] in ("daily", "weekdays"):
        raise _error(f"{whole!r} needs one time of day such as 08:00", "bad_time", whole)
    if lowered.startswith("every"):
        return _parse_interval(lowered, whole)
    if len(words) == 5 and ("*" in lowered or not words[0].isalpha()):  # not "twice a day at 9"
        return _parse_cron(words, whole)
    raise _error(f"{whole!r} is not a schedule", "unknown_format", whole,
                 suggestion=_guess(lowered))


def _parse_phrase(lowered: str, whole: str) -> Schedule | None:
    try:
        found = phrases.read_phrase(lowered)
    except ValueError:
        raise _error(f"{whole!r} gives its times different minutes", "mixed_minutes", whole,
                     examples=("daily 8am and 8pm", "daily 8:30am and 8:30pm")) from None
    if found is None:
        return None
    minutes, hours, weekdays = found
    return Schedule(minutes, hours, weekdays=weekdays)


def _guess(lowered: str) -> str | None:
    """What a schedule missing its keyword probably meant: 08:00 → daily 08:00, 4h → every 4h."""
    for candidate in (f"daily {lowered}", f"every {lowered}"):
        try:
            return parse_schedule(candidate).text
        except BadArgumentError:
            continue
    return None
