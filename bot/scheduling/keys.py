"""The identity of one digest job: a schedule in a timezone."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.scheduling.schedule import Schedule, parse_schedule
from bot.scheduling.timezones import parse_timezone

JOB_PREFIX = "digest|"


@dataclass(frozen=True)
class ScheduleKey:
    """One job serves every subscription with this (schedule, timezone).

    Build the zone with ``parse_timezone`` or ``ZoneInfo(name)`` (cached instances compare
    equal); ``ZoneInfo.no_cache`` instances would not.
    """

    schedule: Schedule
    timezone: ZoneInfo

    @property
    def job_name(self) -> str:
        """Stable job name, e.g. ``digest|daily 08:00|Europe/Berlin``."""
        return f"{JOB_PREFIX}{self.schedule.text}|{self.timezone.key}"

    @classmethod
    def from_texts(cls, schedule: str, timezone: str) -> ScheduleKey:
        """Key from stored texts (canonical schedule, IANA name)."""
        return cls(parse_schedule(schedule), parse_timezone(timezone))

    @classmethod
    def from_job_name(cls, name: str) -> ScheduleKey:
        """Inverse of :attr:`job_name`; ValueError for names that are not digest jobs."""
        if not name.startswith(JOB_PREFIX) or name.count("|") != 2:
            raise ValueError(f"not a digest job name: {name!r}")
        _, schedule, timezone = name.split("|")
        return cls.from_texts(schedule, timezone)
