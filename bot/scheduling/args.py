"""Splitting ``/subscribe [SYMBOLS] [SCHEDULE]`` arguments into symbols and a schedule."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.errors import BadArgumentError
from bot.scheduling.schedule import Schedule, parse_schedule

_KEYWORDS = frozenset({"daily", "weekdays", "every", "hourly"})
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


def _keyword_schedule(words: Sequence[str], start: int) -> tuple[tuple[str, ...], Schedule]:
    """The schedule starting at ``start``; words after it that are not part of it are symbols."""
    first_error: BadArgumentError | None = None
    for stop in range(len(words), start, -1):
        try:
            schedule = parse_schedule(" ".join(words[start:stop]))
        except BadArgumentError as e:
            first_error = first_error or e
            continue
        return (*words[:start], *words[stop:]), schedule
    assert first_error is not None
    raise first_error


def split_schedule_words(words: Sequence[str]) -> tuple[tuple[str, ...], Schedule | None]:
    """(symbol words, schedule or None) from the words after the command.

    The schedule starts at the first keyword (daily, weekdays, every, hourly) and may be
    followed by symbols (``every 4h btc``); or it is five words that look like cron (minute
    and hour made only of digits, ``*``, ``,/-``), before or after the symbols.
    Raises BadArgumentError(kind="schedule") when the schedule part is malformed.
    """
    for index, word in enumerate(words):
        if word.lower() in _KEYWORDS:
            return _keyword_schedule(words, index)
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
