"""Splitting ``/subscribe [SYMBOLS] [SCHEDULE]`` arguments into symbols and a schedule."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.errors import BadArgumentError
from bot.scheduling.phrases import FILLER_WORDS, SCHEDULE_WORDS, is_time_word, known_word
from bot.scheduling.schedule import Schedule, parse_schedule

# Short words that join a schedule but do not start one alone ("SUN" is also a coin).
_WEAK_LENGTH = 4
_NUMBER = re.compile(r"\d{1,2}(:\d{2})?")
_CRON_WORD = re.compile(r"[0-9a-z*,/-]+", re.IGNORECASE)
# A word only cron would use: digits, stars and separators (a symbol like 1INCH has letters).
# Minute and hour fields are always of this kind; names appear only in month and weekday.
_CRON_ONLY_WORD = re.compile(r"[0-9*,/-]+")


def _looks_like_cron(five: Sequence[str]) -> bool:
    return (
        len(five) == 5
        and all(_CRON_WORD.fullmatch(w) for w in five)
        and all(_CRON_ONLY_WORD.fullmatch(w) for w in five[:2])
    )


def is_schedule_word(word: str) -> bool:
    """A word that starts a schedule and is never a coin: "weekly", "mondays", "noon", "9am"."""
    spelled = known_word(word)
    strong = spelled in SCHEDULE_WORDS and len(word.strip(",")) > _WEAK_LENGTH
    return strong or spelled in ("every", "each", "day", "at") or is_time_word(word)


def _joins_schedule(word: str) -> bool:
    """A word that may stand inside a schedule phrase (before its first strong word too)."""
    spelled = known_word(word)
    return (spelled in SCHEDULE_WORDS or spelled in FILLER_WORDS or is_time_word(word)
            or _NUMBER.fullmatch(word) is not None or word.lower().strip(".") in ("am", "pm"))


def _phrase_schedule(words: Sequence[str], anchor: int) -> tuple[tuple[str, ...], Schedule]:
    """The schedule around ``words[anchor]``; the words outside it are symbols."""
    first = anchor
    while first > 0 and _joins_schedule(words[first - 1]):
        first -= 1
    first_error: BadArgumentError | None = None
    for start in range(first, anchor + 1):
        for stop in range(len(words), anchor, -1):
            try:
                schedule = parse_schedule(" ".join(words[start:stop]))
            except BadArgumentError as e:
                first_error = first_error or e
                continue
            rest = (*words[:start], *words[stop:])
            stray = [w for w in rest if is_schedule_word(w)]
            if stray:
                raise BadArgumentError(
                    f"{stray[0]!r} is a schedule word outside the schedule",
                    kind="schedule", reason="unknown_format", value=" ".join(words),
                    examples=("weekly", "every monday at 9", "daily 08:00"))
            return rest, schedule
    assert first_error is not None
    raise first_error


def split_schedule_words(words: Sequence[str]) -> tuple[tuple[str, ...], Schedule | None]:
    """(symbol words, schedule or None) from the words after the command.

    The schedule is the phrase around the first schedule word (daily, weekly, every, hourly,
    a day name, noon, 9am, 18:00 …; see :func:`is_schedule_word`) and may be followed or
    preceded by symbols (``every 4h btc``, ``eth weekly``); or it is five words that look like
    cron (minute and hour made only of digits, ``*``, ``,/-``), before or after the symbols.
    Raises BadArgumentError(kind="schedule") when the schedule part is malformed.
    """
    for index, word in enumerate(words):
        if is_schedule_word(word):
            return _phrase_schedule(words, index)
    first_error: BadArgumentError | None = None
    for start in dict.fromkeys((len(words) - 5, 0)):
        if start < 0 or not _looks_like_cron(words[start:start + 5]):
            continue
        try:
            schedule = parse_schedule(" ".join(words[start:start + 5]))
        except BadArgumentError as e:
            first_error = first_error or e
            continue
        return (*words[:start], *words[start + 5:]), schedule
    if first_error is not None:
        raise first_error
    return tuple(words), None
