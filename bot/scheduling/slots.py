"""Pure slot arithmetic: when digests are due, and what to catch up after downtime.

A *slot* is one instant a schedule is due, as an aware UTC datetime. Slots are exactly the
fire times of the schedule's APScheduler trigger in the chat's timezone, so what these
functions compute is what the JobQueue does, with one filter (see DST below).

DST rules (verified by tests for Europe/Berlin and America/New_York):

- Wall-clock times are kept: ``daily 08:00`` Berlin is 07:00 UTC in winter, 06:00 UTC in summer;
  ``every 4h`` stays on 00:00, 04:00 … local, so the gap across a shift is 3 or 5 real hours.
- A wall time skipped by the spring shift fires at the instant it would have had without the
  shift (APScheduler's rule): Berlin 02:30 on the spring day is 01:30 UTC = 03:30 CEST. When
  that instant is also a regular slot (hourly 02:00 and 03:00) it is one slot.
- A wall time repeated by the autumn shift is one slot, its first occurrence. APScheduler fires
  a second time (fold=1); that firing is not a slot, so :func:`due_slot` maps it back to the
  already-delivered first occurrence and the delivery log drops it. Hourly schedules therefore
  have one two-hour gap a year instead of a duplicate.

Lateness is always measured against the slot time, never the time the job happened to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import NamedTuple

from apscheduler.triggers.cron import CronTrigger

from bot.scheduling.schedule import Schedule

DEFAULT_LOOKBACK = timedelta(days=7)
# Windows searched backwards by latest_slot; the last covers a leap day in a 4-year cycle.
_BACK_WINDOWS = tuple(
    timedelta(days=d) for d in (1 / 720, 1 / 12, 1, 2, 8, 32, 367, 1462, 2923)
)


class CatchUp(NamedTuple):
    """What to do with slots missed while the bot was down."""

    to_send: tuple[datetime, ...]
    skipped: tuple[datetime, ...]
    older_not_listed: bool


@lru_cache(maxsize=512)
def _trigger(schedule: Schedule, tz: tzinfo) -> CronTrigger:
    return schedule.trigger(tz)


def _aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)


def _is_repeat(local: datetime) -> bool:
    """True for the second occurrence of a wall time repeated by an autumn shift."""
    return local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset()


def iter_slots(schedule: Schedule, tz: tzinfo, after: datetime) -> Iterator[datetime]:
    """Slots strictly after ``after``, in order, as aware UTC datetimes (endless)."""
    after = _aware("after", after)
    trigger = _trigger(schedule, tz)
    previous: datetime | None = None
    last: datetime | None = None
    now = after
    while True:
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None:
            return
        slot = fire.astimezone(UTC)
        # a time skipped by a spring gap lands on the next hour, which may be a slot too
        if fire > after and not _is_repeat(fire) and slot != last:
            yield slot
            last = slot
        previous = now = fire


def next_slot(schedule: Schedule, tz: tzinfo, after: datetime) -> datetime:
    """The first slot strictly after ``after``."""
    return next(iter_slots(schedule, tz, after))


def slots_between(
    schedule: Schedule, tz: tzinfo, start: datetime, end: datetime
) -> list[datetime]:
    """Slots with ``start < slot <= end``, oldest first."""
    end = _aware("end", end)
    found: list[datetime] = []
    for slot in iter_slots(schedule, tz, start):
        if slot > end:
            break
        found.append(slot)
    return found


def latest_slot(schedule: Schedule, tz: tzinfo, at: datetime) -> datetime | None:
    """The newest slot at or before ``at`` (None only if none in the last eight years)."""
    at = _aware("at", at)
    for window in _BACK_WINDOWS:
        found = slots_between(schedule, tz, at - window, at)
        if found:
            return found[-1]
    return None


def due_slot(
    schedule: Schedule, tz: tzinfo, now: datetime, grace: timedelta
) -> datetime | None:
    """The slot a job running at ``now`` should deliver; None if older than ``grace``."""
    slot = latest_slot(schedule, tz, now)
    if slot is None or _aware("now", now) - slot > grace:
        return None
    return slot


def catch_up(
    schedule: Schedule,
    tz: tzinfo,
    last_delivered_slot: datetime,
    now: datetime,
    grace: timedelta,
    *,
    lookback: timedelta = DEFAULT_LOOKBACK,
) -> CatchUp:
    """Split the slots missed since ``last_delivered_slot`` into one to send and the skipped.

    ``last_delivered_slot`` is the newest slot in the delivery log (or the subscription's
    creation time when nothing was delivered yet). Only the newest missed slot no older than
    ``grace`` is sent, so a chat never gets a burst of stale digests; every other missed slot
    is skipped. Slots older than ``lookback`` are not enumerated (``older_not_listed``).
    """
    last = _aware("last_delivered_slot", last_delivered_slot)
    now = _aware("now", now)
    start = max(last, now - lookback)
    older_not_listed = start > last and next_slot(schedule, tz, last) <= start
    missed = slots_between(schedule, tz, start, now)
    fresh = [slot for slot in missed if now - slot <= grace]
    to_send = (fresh[-1],) if fresh else ()
    skipped = tuple(slot for slot in missed if slot not in to_send)
    return CatchUp(to_send=to_send, skipped=skipped, older_not_listed=older_not_listed)
