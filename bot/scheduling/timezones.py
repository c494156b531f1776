"""Timezones from users: IANA names in any case, cities, whole-hour UTC offsets.

``Istanbul``, ``new york``, ``São Paulo`` name their zone; ``UTC+3``, ``GMT-5``, ``+03:00`` become
``Etc/GMT-3``-style fixed zones (POSIX sign: Etc/GMT-3 is UTC+3), stored by their key and read
back with ``ZoneInfo(key)``. Abbreviations that name several zones (EST, CST, IST, PST …) are
answered with a question; near misses get a suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import fuzz, process

from bot.errors import BadArgumentError

TIMEZONE_EXAMPLES = ("Europe/Berlin", "America/New_York", "Asia/Singapore", "UTC")
# Names zoneinfo lists that are not real places or depend on the host; EST and MST are fixed
# offsets whose abbreviation people use for the zone that follows daylight saving time.
_EXCLUDED = frozenset({"Factory", "localtime", "posixrules", "EST", "MST"})
_SUGGESTION_CUTOFF = 80.0
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
#: Abbreviation → the zones it may mean, a fixed offset last (or None when there is none).
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "est": ("America/New_York", "UTC-5"), "edt": ("America/New_York", "UTC-4"),
    "cst": ("America/Chicago", "Asia/Shanghai", "UTC-6"), "cdt": ("America/Chicago", "UTC-5"),
    "mst": ("America/Denver", "America/Phoenix", "UTC-7"), "mdt": ("America/Denver", "UTC-6"),
    "pst": ("America/Los_Angeles", "UTC-8"), "pdt": ("America/Los_Angeles", "UTC-7"),
    "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "bst": ("Europe/London", "Asia/Dhaka"), "ast": ("America/Halifax", "Asia/Riyadh"),
    "aest": ("Australia/Sydney", "Australia/Brisbane"), "cest": ("Europe/Berlin", "UTC+2"),
}
# Places people name that are not the city of their zone, and renamed cities.
_ALIASES = {
    "kiev": "Europe/Kyiv", "beijing": "Asia/Shanghai", "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata", "new_delhi": "Asia/Kolkata", "bombay": "Asia/Kolkata",
    "washington": "America/New_York", "boston": "America/New_York",
    "miami": "America/New_York", "san_francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "dallas": "America/Chicago", "msk": "Europe/Moscow",
    "saint_petersburg": "Europe/Moscow", "st_petersburg": "Europe/Moscow",
    # abbreviations that name one zone only (not CAT, EAT, WIT: everyday words)
    "wat": "Africa/Lagos", "sast": "Africa/Johannesburg", "wib": "Asia/Jakarta",
    "wita": "Asia/Makassar", "pht": "Asia/Manila", "pkt": "Asia/Karachi",
    "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong", "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul", "trt": "Europe/Istanbul", "brt": "America/Sao_Paulo",
    "npt": "Asia/Kathmandu", "gst": "Asia/Dubai",
}
_REGIONS = ("Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian")


@cache
def _names_by_lowercase() -> dict[str, str]:
    return {n.lower(): n for n in available_timezones() if n not in _EXCLUDED}


def _same_clock(names: list[str]) -> bool:
    """Whether the zones keep the same offset over 1990-2030 (links of one zone)."""
    zones = [ZoneInfo(n) for n in names]
    start = datetime(1990, 1, 1, tzinfo=UTC)
    for step in range(0, 40 * 365, 15):
        moment = start + timedelta(days=step)
        if len({moment.astimezone(z).utcoffset() for z in zones}) > 1:
            return False
    return True


def _preference(name: str) -> tuple[int, int]:
    region = name.split("/", 1)[0]
    rank = _REGIONS.index(region) if region in _REGIONS else len(_REGIONS)
    return rank, name.count("/")


@cache
def _names_by_city() -> dict[str, str]:
    """Last path component → full name, for cities whose names all keep one clock."""
    cities: dict[str, list[str]] = {}
    for lowered, name in _names_by_lowercase().items():
        if "/" in lowered and not lowered.startswith("etc/"):
            cities.setdefault(lowered.rsplit("/", 1)[1], []).append(name)
    found = {city: min(names, key=_preference) for city, names in cities.items()
             if len(names) == 1 or _same_clock(names)}
    return found | _ALIASES


def _normalise(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    return "_".join(plain.replace("\u2212", "-").strip().split()).lower()


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


def _fixed_offset(text: str) -> ZoneInfo | None:
    """``UTC+3`` → Etc/GMT-3; None when ``text`` is no offset. Raises for half hours."""
    match = _OFFSET.fullmatch(text.replace("\u2212", "-").strip())
    if match is None:
        return None
    sign, hours, minutes = match[1], int(match[2]), int(match[3] or 0)
    if minutes or hours > (14 if sign == "+" else 12):
        raise BadArgumentError(
            f"{text!r} is a UTC offset no fixed zone has; a place name follows its clock",
            kind="timezone", reason="utc_offset", value=text.strip(),
            examples=TIMEZONE_EXAMPLES,
        )
    if hours == 0:
        return ZoneInfo("UTC")
    return ZoneInfo(f"Etc/GMT{'-' if sign == '+' else '+'}{hours}")


def parse_timezone(text: str) -> ZoneInfo:
    """The zone named by ``text``: an IANA name (any case, spaces for underscores), a city
    (``new york``, ``São Paulo``) or a whole-hour offset (``UTC+3`` → ``Etc/GMT-3``).

    Raises BadArgumentError(kind="timezone"): reason ``ambiguous_abbreviation`` with the
    choices as examples (EST, IST …), ``utc_offset`` for offsets no fixed zone has,
    ``unknown_timezone`` with a suggestion for near misses.
    """
    key = _normalise(text)
    if key in AMBIGUOUS:
        choices = AMBIGUOUS[key]
        raise BadArgumentError(
            f"{text.strip()!r} may mean {', '.join(choices)}",
            kind="timezone", reason="ambiguous_abbreviation", value=text.strip().upper(),
            examples=choices,
        )
    name = _names_by_lowercase().get(key) or _names_by_city().get(key)
    if name is not None:
        return ZoneInfo(name)
    fixed = _fixed_offset(text)
    if fixed is not None:
        return fixed
    raise BadArgumentError(
        f"{text!r} is not an IANA time zone name",
        kind="timezone",
        reason="unknown_timezone",
        value=text.strip(),
        suggestion=suggest_timezone(text),
        examples=TIMEZONE_EXAMPLES,
    )
