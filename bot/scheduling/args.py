"""Splitting ``/subscribe [SYMBOLS] [SCHEDULE]`` arguments into symbols and a schedule."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.scheduling.schedule import Schedule, parse_schedule

_KEYWORDS = frozenset({"daily", "weekdays", "every", "hourly"})
_CRON_WORD = re.compile(r"[0-9a-z*,/-]+", re.IGNORECASE)
# A word only cron would use: digits, stars and separators (a symbol like 1INCH has letters).
_CRON_ONLY_WORD = re.compile(r"[0-9*,/-]+")


def split_schedule_words(words: Sequence[str]) -> tuple[tuple[str, ...], Schedule | None]:
    """(symbol words, schedule or None) from the words after the command.

    The schedule starts at the first keyword (daily, weekdays, every, hourly), or is the last
    five words when they look like cron (at least one made only of digits, ``*``, ``,/-``).
    Raises BadArgumentError(kind="schedule") when the schedule part is malformed.
    """
    for index, word in enumerate(words):
        if word.lower() in _KEYWORDS:
            return tuple(words[:index]), parse_schedule(" ".join(words[index:]))
    tail = words[-5:]
    if (
        len(tail) == 5
        and all(_CRON_WORD.fullmatch(w) for w in tail)
        and any(_CRON_ONLY_WORD.fullmatch(w) for w in tail)
    ):
        return tuple(words[:-5]), parse_schedule(" ".join(tail))
    return tuple(words), None
