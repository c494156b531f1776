"""Babel-backed number and time filters for the templates.

Every negative number uses the true minus sign ``−`` (U+2212); ``None`` is never
formatted (templates test for it and drop the sentence instead).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_datetime, format_timedelta
from babel.numbers import format_compact_currency, format_decimal

MINUS = "\u2212"
DEFAULT_LOCALE = "en_US"


def _require(value: float | None) -> float:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"cannot format missing value {value!r}")
    return float(value)


def _signed(text: str, negative: bool, plus: bool) -> str:
    if negative:
        return MINUS + text
    return ("+" + text) if plus else text


def _round_half_up(value: float, digits: int) -> float:
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def price_digits(value: float) -> int:
    """Decimals a price deserves: none from $1,000, cents from $1, more below."""
    magnitude = abs(value)
    if magnitude >= 1000:
        return 0
    if magnitude >= 1:
        return 2
    if magnitude == 0:
        return 2
    return min(8, 3 - math.floor(math.log10(magnitude)))


def usd(value: float | None, locale: str = DEFAULT_LOCALE, signed: bool = False,
        like: float | None = None) -> str:
    """A dollar amount at price precision: $76,017, $2,346, $98.77, $0.0523.

    ``like`` gives the price whose precision to use (a $286.84 move of a $73k coin
    prints as $287).
    """
    v = _require(value)
    digits = price_digits(v if like is None else like)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    body = format_decimal(_round_half_up(abs(v), digits), format=pattern, locale=locale)
    return _signed("$" + body, v < 0 and body.strip("0.,") != "", signed)


def usd_compact(value: float | None, locale: str = DEFAULT_LOCALE, signed: bool = False) -> str:
    """A large dollar amount in short form: $108B, $50.9B, $3M, $950."""
    v = _require(value)
    body = format_compact_currency(
        Decimal(repr(abs(v))), "USD", locale=locale, fraction_digits=1
    )
    return _signed(body, v < 0, signed)


def pct(value: float | None, locale: str = DEFAULT_LOCALE, signed: bool = True,
        digits: int = 2) -> str:
    """A percentage given in percent units: +50%, −2.64%; ``signed=False`` drops the sign."""
    v = _require(value)
    rounded = _round_half_up(abs(v), digits)
    body = format_decimal(rounded, format="#,##0." + "#" * digits, locale=locale) + "%"
    if not signed:
        return body
    return _signed(body, v < 0 and rounded != 0, rounded != 0)


def rate(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """A small rate given as a fraction (funding 0.0001 → +0.0100%)."""
    v = _require(value)
    rounded = _round_half_up(abs(v) * 100, 4)
    body = format_decimal(rounded, format="0.0000", locale=locale) + "%"
    return _signed(body, v < 0 and rounded != 0, rounded != 0)


def ratio(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """A ratio such as long/short: 0.958, 2.03."""
    v = _require(value)
    return format_decimal(_round_half_up(v, 3), format="#,##0.00#", locale=locale).replace(
        "-", MINUS
    )


def number(value: float | None, locale: str = DEFAULT_LOCALE, digits: int = 0) -> str:
    """A plain reading such as ADX 36 or RSI 41.5 (``digits`` decimals at most)."""
    v = _require(value)
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    body = format_decimal(_round_half_up(abs(v), digits), format=pattern, locale=locale)
    return _signed(body, v < 0 and body.strip("0.,") != "", False)


def leverage(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """Leverage as 20x or 2.5x."""
    return number(value, locale, digits=1) + "x"


def level(value: float | None, locale: str = DEFAULT_LOCALE) -> str:
    """A price level, rounded so it is off by less than one unit of its last digit.

    $81k, $72.9k from $10,000; whole dollars from $1,000; cents below.
    """
    v = _require(value)
    if abs(v) < 10_000:
        return usd(v, locale)
    thousands = _round_half_up(abs(v) / 1000, 1)
    body = format_decimal(thousands, format="#,##0.#", locale=locale) + "k"
    return _signed("$" + body, v < 0, False)


def utc_time(when: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """Clock time in UTC: 12:00 UTC."""
    return format_datetime(when.astimezone(UTC), "HH:mm", tzinfo=UTC, locale=locale) + " UTC"


def utc_datetime(when: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """Date and time in UTC: 4 Feb 2026, 12:00 UTC."""
    day = format_datetime(when.astimezone(UTC), "d MMM y", tzinfo=UTC, locale=locale)
    return day + ", " + utc_time(when, locale)


def utc_date(when: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """Date in UTC: 4 Feb 2026."""
    return format_datetime(when.astimezone(UTC), "d MMM y", tzinfo=UTC, locale=locale)


def ago(when: datetime, now: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """How long before ``now``: 3 hours ago, in 2 days."""
    delta: timedelta = when - now
    return format_timedelta(delta, add_direction=True, locale=locale, threshold=1.5)


def duration(seconds: float, locale: str = DEFAULT_LOCALE) -> str:
    """A length of time: 3 hours, 2 days."""
    return format_timedelta(timedelta(seconds=seconds), locale=locale, threshold=1.5)


def indefinite(spoken: str) -> str:
    """The article for an amount as spoken: "an" before $8…, $11…, $18…, else "a"."""
    digits = spoken.lstrip("+$\u2212-")
    head = digits.split(",")[0].split(".")[0].rstrip("kKMBT%x")
    if head.startswith("8") or head in ("11", "18"):
        return "an"
    return "a"


def utc_since(when: datetime, ref: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """A time relative to ``ref``'s day: "19:54 UTC" the same day, else "4 Feb, 19:54 UTC"."""
    if when.astimezone(UTC).date() == ref.astimezone(UTC).date():
        return utc_time(when, locale)
    day = format_datetime(when.astimezone(UTC), "d MMM", tzinfo=UTC, locale=locale)
    return day + ", " + utc_time(when, locale)


def same_level(a: float, b: float, locale: str = DEFAULT_LOCALE) -> bool:
    """Whether two prices print as the same level (a comparison, not a printed figure)."""
    return level(a, locale) == level(b, locale)


def same_number(a: float, b: float, locale: str = DEFAULT_LOCALE) -> bool:
    """Whether two readings print the same (e.g. +DI and −DI both 21)."""
    return number(a, locale) == number(b, locale)


NUMBER_FILTERS: dict[str, Callable[..., str]] = {
    "usd": usd,
    "usd_compact": usd_compact,
    "pct": pct,
    "rate": rate,
    "ratio": ratio,
    "number": number,
    "leverage": leverage,
    "level": level,
}
TIME_FILTERS: dict[str, Callable[..., str]] = {
    "utc_time": utc_time,
    "utc_datetime": utc_datetime,
    "utc_date": utc_date,
    "utc_since": utc_since,
}
