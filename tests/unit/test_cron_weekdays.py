"""Why schedules parse crontab fields themselves: cron's weekday numbers are not
APScheduler 3's, so ``CronTrigger.from_crontab`` would move every weekday schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.scheduling.schedule import parse_schedule

THURSDAY = datetime(2026, 12, 3, tzinfo=UTC)


def _next_day(trigger: CronTrigger) -> str:
    fire = trigger.get_next_fire_time(None, THURSDAY)
    assert fire is not None
    return fire.strftime("%A")


def test_a_crontab_sunday_fires_on_sunday_as_in_cron() -> None:
    for sunday in ("0 8 * * 0", "0 8 * * 7", "0 8 * * sun"):
        assert _next_day(parse_schedule(sunday).trigger(UTC)) == "Sunday"


def test_apscheduler_3_reads_crontab_weekdays_from_monday() -> None:
    # if this starts failing, APScheduler now follows cron: cronfields.py may go
    assert _next_day(CronTrigger.from_crontab("0 8 * * 0", timezone=UTC)) == "Monday"
    with pytest.raises(ValueError, match="higher than the maximum"):
        CronTrigger.from_crontab("0 8 * * 7", timezone=UTC)
