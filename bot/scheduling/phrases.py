"""Schedules in words: "weekly", "every monday at 9", "mondays and thursdays 18:00", "twice a day".

:func:`read_phrase` turns a phrase into the sets a :class:`~bot.scheduling.schedule.Schedule`
holds, or None when the text is not a phrase it knows (the caller then gives its own error).
Stated defaults, so a reply can name what was chosen: ``weekly`` alone = Monday; a day without
a time = 08:00 (the time of the configured default ``daily 08:00``); ``morning`` 08:00,
``afternoon`` 15:00, ``evening`` 18:00, ``night`` 21:00; ``twice a day`` = 08:00 and 20:00.
A bare number is a time only after ``at`` or a part of the day (``at 9``, ``evening 7``):
``daily 8`` stays a question, it could be 8 am or 8 pm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

DEFAULT_TIME = (8, 0)
WEEKLY_DEFAULT_DAY = 1  # Monday, cron numbering
TWICE_A_DAY = (8, 20)
_PARTS_OF_DAY = {"morning": 8, "afternoon": 15, "evening": 18, "night": 21, "tonight": 21}
_NAMED_TIMES = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
_DAY_NAMES = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_WORKWEEK = frozenset(range(1, 6))
_ALL = frozenset(range(7))


def _day_words() -> dict[str, frozenset[int]]:
    words: dict[str, frozenset[int]] = {}
    for number, name in enumerate(_DAY_NAMES):
        for spelling in (name, name + "s", name[:3], name[:3] + "s"):
            words[spelling] = frozenset({number})
    for spelling, number in (("tues", 2), ("weds", 3), ("thur", 4), ("thurs", 4)):
        words[spelling] = frozenset({number})
    for spelling in ("weekdays", "weekday", "workdays", "workday"):
        words[spelling] = _WORKWEEK
    for spelling in ("weekends", "weekend"):
        words[spelling] = frozenset({0, 6})
    for spelling in ("daily", "day", "days", "everyday", "nightly"):
        words[spelling] = _ALL
    return words


DAY_WORDS = _day_words()
#: Words that only ever belong to a schedule (never read as a coin).
SCHEDULE_WORDS = frozenset({
    *DAY_WORDS, *_PARTS_OF_DAY, *_NAMED_TIMES, "weekly", "hourly", "every", "each", "twice",
})
#: Words that may sit inside a schedule phrase ("every monday at 9").
FILLER_WORDS = frozenset({"at", "on", "in", "the", "a", "an", "and", "per", "of"})
_FUZZY_WORDS = tuple(w for w in SCHEDULE_WORDS if len(w) >= 5)
_FUZZY_CUTOFF = 84.0
_CLOCK = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?(am|pm)?")


@dataclass
class _Reading:
    days: set[int] = field(default_factory=set)
    times: list[tuple[int, int]] = field(default_factory=list)
    part: str | None = None
    weekly: bool = False
    twice: bool = False
    hourly: bool = False
    every: bool = False  # "every 9am": a time after every/each names a schedule
    named: bool = False  # a word that makes this a schedule (not just "08:00")
    only_day_keyword: bool = True  # nothing but "daily"/"weekdays": their strict form rules


@lru_cache(maxsize=4096)  # bounded: the words are whatever users type
def known_word(word: str) -> str | None:
    """The schedule word ``word`` spells (typos of longer words forgiven), or None."""
    lowered = word.lower().strip(",")
    if lowered in SCHEDULE_WORDS or lowered in FILLER_WORDS:
        return lowered
    if len(lowered) >= 5 and lowered.isalpha():
        match = process.extractOne(lowered, _FUZZY_WORDS, scorer=fuzz.ratio,
                                   score_cutoff=_FUZZY_CUTOFF)
        if match is not None:
            return str(match[0])
    return None


def is_time_word(word: str) -> bool:
    """"9am", "18:00", "8.30pm": a clock time no coin is spelled like (a bare "9" is not)."""
    match = _CLOCK.fullmatch(word.lower())
    return match is not None and bool(match[2] or match[3])


def _tokens(text: str) -> list[str]:
    spaced = re.sub(r"[,;]", " ", text.lower()).replace("a.m.", "am").replace("p.m.", "pm")
    spaced = re.sub(r"\b(a|p)\.?m\b\.?", r"\1m", spaced)
    spaced = re.sub(r"\b(\d{1,2})\s*o'?clock\b", r"\1:00", spaced)
    words = spaced.split()
    merged: list[str] = []
    for word in words:
        if word in ("am", "pm") and merged and _CLOCK.fullmatch(merged[-1]):
            merged[-1] += word
        else:
            merged.append(word)
    return merged


def _clock(word: str, bare_ok: bool, part: str | None) -> tuple[int, int] | None:
    match = _CLOCK.fullmatch(word)
    if match is None:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if not (match[2] or half or bare_ok) or minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        return hour % 12 + (12 if half == "pm" else 0), minute
    if part in ("afternoon", "evening", "night", "tonight") and 1 <= hour < 12:
        hour += 12
    return (hour, minute) if hour <= 23 else None


def _read(tokens: list[str]) -> _Reading | None:
    reading = _Reading()
    after_at = False
    for token in tokens:
        word = known_word(token)
        if word is None:
            time = _clock(token, after_at or reading.part is not None, reading.part)
            if time is None:
                return None
            reading.times.append(time)
            reading.only_day_keyword = False
            reading.named = reading.named or after_at
            continue
        after_at = word == "at" or (after_at and word == "and")
        if word not in ("daily", "weekdays", *FILLER_WORDS):
            reading.only_day_keyword = False
        if word in DAY_WORDS:
            reading.days |= DAY_WORDS[word]
            reading.named = True
        elif word in _PARTS_OF_DAY:
            reading.part, reading.named = word, True
        elif word in _NAMED_TIMES:
            reading.times.append(_NAMED_TIMES[word])
            reading.named = True
        elif word in ("every", "each"):
            reading.every = True
        elif word in ("weekly", "twice", "hourly"):
            setattr(reading, word, True)
            reading.named = True
    return reading


def read_phrase(text: str) -> tuple[frozenset[int], frozenset[int], frozenset[int]] | None:
    """(minutes, hours, cron weekdays) of a schedule in words, or None when it is not one.

    Raises ValueError when the phrase names times that one schedule cannot hold
    (``8:30 and 20:00``: every listed hour would get every listed minute).
    """
    reading = _read(_tokens(text))
    if reading is None or reading.only_day_keyword or not (
            reading.named or (reading.every and reading.times)):
        return None
    times = reading.times
    if reading.hourly:
        if times or reading.twice or reading.part:
            return None
        times = [(h, 0) for h in range(24)]
    if reading.twice and len(times) not in (0, 2):
        return None
    if not times and reading.twice:
        times = [(h, 0) for h in TWICE_A_DAY]
    if not times:
        part = reading.part
        times = [(_PARTS_OF_DAY[part], 0) if part else DEFAULT_TIME]
    minutes = frozenset(m for _, m in times)
    hours = frozenset(h for h, _ in times)
    if len(minutes) > 1 and len(hours) > 1:
        raise ValueError("times with different minutes")
    days = reading.days or ({WEEKLY_DEFAULT_DAY} if reading.weekly else set(_ALL))
    if reading.weekly and days == _ALL:
        days = {WEEKLY_DEFAULT_DAY}
    return minutes, hours, frozenset(days)
