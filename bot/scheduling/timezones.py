"""IANA timezone names from users: case-insensitive lookup with near-miss suggestions."""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import fuzz, process

from bot.errors import BadArgumentError

TIMEZONE_EXAMPLES = ("Europe/Berlin", "America/New_York", "Asia/Singapore", "UTC")
# Names zoneinfo lists that are not real places or depend on the host.
_EXCLUDED = frozenset({"Factory", "localtime", "posixrules"})
_SUGGESTION_CUTOFF = 80.0
# "GMT+2", "UTC-05:00", "+3": offsets, not places; Etc/GMT+2 would mean UTC-2, so no guessing.
_OFFSET = re.compile(r"(utc|gmt)?\s*[+-]\s*\d{1,2}(:?\d{2})?", re.IGNORECASE)


@cache
def _names_by_lowercase() -> dict[str, str]:
    return {n.lower(): n for n in available_timezones() if n not in _EXCLUDED}


@cache
def _names_by_city() -> dict[str, str]:
    """Last path component → full name, for cities that are unambiguous."""
    cities: dict[str, list[str]] = {}
    for lowered, name in _names_by_lowercase().items():
        if "/" in lowered:
            cities.setdefault(lowered.rsplit("/", 1)[1], []).append(name)
    return {city: names[0] for city, names in cities.items() if len(names) == 1}


def _normalise(text: str) -> str:
    return "_".join(text.strip().split()).lower()


def suggest_timezone(text: str) -> str | None:
    """The IANA name ``text`` most likely meant, or None when nothing is close."""
    key = _normalise(text)
    if not key:
        return None
    by_city = _names_by_city()
    if key in by_city:
        return by_city[key]
    names = _names_by_lowercase()
    match = process.extractOne(key, names.keys(), scorer=fuzz.ratio,
                               score_cutoff=_SUGGESTION_CUTOFF)
    if match is not None:
        return names[match[0]]
    city_match = process.extractOne(key, by_city.keys(), scorer=fuzz.ratio,
                                    score_cutoff=_SUGGESTION_CUTOFF)
    return by_city[city_match[0]] if city_match is not None else None


def parse_timezone(text: str) -> ZoneInfo:
    """The zone named by ``text`` (any case, spaces for underscores).

    Raises BadArgumentError(kind="timezone") with a suggestion for near misses.
    """
    name = _names_by_lowercase().get(_normalise(text))
    if name is not None:
        return ZoneInfo(name)
    if _OFFSET.fullmatch(text.strip()):
        raise BadArgumentError(
            f"{text!r} is a UTC offset; a place name follows daylight saving time",
            kind="timezone",
            reason="utc_offset",
            value=text.strip(),
            examples=TIMEZONE_EXAMPLES,
        )
    raise BadArgumentError(
        f"{text!r} is not an IANA time zone name",
        kind="timezone",
        reason="unknown_timezone",
        value=text.strip(),
        suggestion=suggest_timezone(text),
        examples=TIMEZONE_EXAMPLES,
    )
