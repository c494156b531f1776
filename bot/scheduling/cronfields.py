"""Parsing and formatting of the five fields of a crontab expression.

Fields are held as sets of integers. Weekdays use cron's numbering: 0 = Sunday … 6 = Saturday
(7 is accepted as Sunday too). Names (``jan``…``dec``, ``sun``…``sat``) are accepted in any case.
Supported per element: ``*``, ``*/n``, ``a``, ``a-b``, ``a-b/n``, ``a/n``; joined by commas.
Ranges do not wrap around (``fri-mon`` is rejected).

Why not APScheduler's ``CronTrigger.from_crontab``, which fires the jobs anyway: in
APScheduler 3 it numbers weekdays from Monday (``0`` = Monday) and rejects ``7``, so a
user's crontab ``0 8 * * 0`` (Sunday in cron) would fire on Mondays. This module keeps
cron's meaning and hands APScheduler named weekdays (``Schedule.trigger``);
``tests/unit/test_cron_weekdays.py`` fails if APScheduler ever changes that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import BadArgumentError

CRON_EXAMPLES = ("0 8 * * *", "*/15 * * * *", "30 9 * * 1-5", "0 0 1 * *")

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class CronField:
    """One crontab field: its name, value range and accepted names."""

    name: str
    low: int
    high: int
    names: dict[str, int] = field(default_factory=dict)

    @property
    def all_values(self) -> frozenset[int]:
        """Every value the field can take (what ``*`` means)."""
        return frozenset(range(self.low, self.high + 1))


MINUTE = CronField("minute", 0, 59)
HOUR = CronField("hour", 0, 23)
DAY = CronField("day of month", 1, 31)
MONTH = CronField("month", 1, 12, {n: i + 1 for i, n in enumerate(_MONTH_NAMES)})
# 7 is parsed as Sunday and folded onto 0 afterwards.
WEEKDAY = CronField("day of week", 0, 7, {n: i for i, n in enumerate(_WEEKDAY_NAMES)})
FIELDS = (MINUTE, HOUR, DAY, MONTH, WEEKDAY)


def _field_error(cron_field: CronField, text: str, why: str) -> BadArgumentError:
    return BadArgumentError(
        f"cron {cron_field.name} field {text!r}: {why} "
        f"(allowed {cron_field.low}-{cron_field.high})",
        kind="schedule",
        reason="cron_field",
        value=text,
        examples=CRON_EXAMPLES,
    )


def _number(cron_field: CronField, token: str, whole: str) -> int:
    if token in cron_field.names:
        return cron_field.names[token]
    if not token.isdecimal():
        raise _field_error(cron_field, whole, f"{token!r} is not a number")
    value = int(token)
    if not cron_field.low <= value <= cron_field.high:
        raise _field_error(cron_field, whole, f"{value} is out of range")
    return value


def _element(cron_field: CronField, element: str, whole: str) -> set[int]:
    base, slash, step_text = element.partition("/")
    step = 1
    if slash:
        if not step_text.isdecimal() or int(step_text) == 0:
            raise _field_error(cron_field, whole, f"step {step_text!r} must be a positive number")
        step = int(step_text)
    if base == "*":
        first, last = cron_field.low, cron_field.high
    elif "-" in base:
        start_text, _, end_text = base.partition("-")
        first = _number(cron_field, start_text, whole)
        last = _number(cron_field, end_text, whole)
        if first > last:
            raise _field_error(cron_field, whole, f"range {base!r} runs backwards")
    else:
        first = _number(cron_field, base, whole)
        last = cron_field.high if slash else first
    return set(range(first, last + 1, step))


def parse_field(cron_field: CronField, text: str) -> frozenset[int]:
    """The set of values ``text`` selects; BadArgumentError when malformed."""
    lowered = text.lower()
    if not lowered:
        raise _field_error(cron_field, text, "empty field")
    values: set[int] = set()
    for element in lowered.split(","):
        if not element:
            raise _field_error(cron_field, text, "empty list element")
        values |= _element(cron_field, element, text)
    if cron_field is WEEKDAY and 7 in values:
        values = (values - {7}) | {0}
    return frozenset(values)


def format_field(cron_field: CronField, values: frozenset[int]) -> str:
    """The shortest canonical text for ``values`` (``*``, ``*/n`` or a list of ranges)."""
    high = 6 if cron_field is WEEKDAY else cron_field.high
    if values == frozenset(range(cron_field.low, high + 1)):
        return "*"
    ordered = sorted(values)
    if len(ordered) >= 3 and ordered[0] == cron_field.low:
        step = ordered[1] - ordered[0]
        if step > 1 and values == frozenset(range(cron_field.low, high + 1, step)):
            return f"*/{step}"
    parts: list[str] = []
    run_start = previous = ordered[0]
    for value in [*ordered[1:], None]:
        if value is not None and value == previous + 1:
            previous = value
            continue
        if previous - run_start >= 2:
            parts.append(f"{run_start}-{previous}")
        else:
            parts.extend(str(v) for v in range(run_start, previous + 1))
        if value is not None:
            run_start = previous = value
    return ",".join(parts)
