"""Fact-check for rendered commentary: every number in the text is a formatted view field.

``allowed_numbers(view)`` walks the view model (and the analysis dataclasses it holds),
formats every number with every template filter and every time with the time filters,
and collects the number tokens of those strings and of the view's own strings (labels
such as "4h SMA50"). ``unverified_numbers(text, view)`` lists the tokens of the rendered
text that are not among them.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from bot.commentary import formatting as f

#: A number as the templates print it: sign, $, thousands separators, decimals,
#: clock time, and a unit suffix (k, M, B, T, %, x). Tokens glued to letters
#: ("SMA50", "24h") are labels, not numbers, and are not extracted.
NUMBER = re.compile(
    r"(?<![\w.$+\u2212-])[+\u2212-]?\$?\d+(?:,\d{3})*(?:\.\d+)?(?::\d\d)?[kKMBT%x]?(?![\w])"
)
WORDS_TO_IGNORE = re.compile(r"0x[0-9a-fA-F]+|\b\d+-(?:day|bar)\b")


def number_tokens(text: str) -> list[str]:
    """Every number token in ``text``."""
    return NUMBER.findall(WORDS_TO_IGNORE.sub(" ", text))


def _formats(value: float) -> Iterator[str]:
    if not math.isfinite(value):
        return
    for v in {value, abs(value)}:
        for like in (None, 1000.0, 1.0):
            yield f.usd(v, like=like)
            yield f.usd(v, signed=True, like=like)
        yield f.usd_compact(v)
        yield f.usd_compact(v, signed=True)
        yield f.level(v)
        yield f.ratio(v)
        yield f.rate(v)
        yield f.leverage(v)
        for digits in (0, 1, 2):
            yield f.number(v, digits=digits)
            yield f.pct(v, digits=digits)
            yield f.pct(v, signed=False, digits=digits)


def _leaves(obj: Any, seen: set[int]) -> Iterator[Any]:
    if id(obj) in seen:
        return
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        seen.add(id(obj))
        for fld in dataclasses.fields(obj):
            yield from _leaves(getattr(obj, fld.name), seen)
    elif isinstance(obj, Mapping):
        seen.add(id(obj))
        for key, value in obj.items():
            yield from _leaves(key, seen)
            yield from _leaves(value, seen)
    elif isinstance(obj, (list, tuple)):
        seen.add(id(obj))
        for item in obj:
            yield from _leaves(item, seen)
    else:
        yield obj


def allowed_numbers(view: Any, extra: Iterable[str] = ()) -> set[str]:
    """Number tokens the view model justifies (plus ``extra`` fixed wording)."""
    texts: list[str] = list(extra)
    for leaf in _leaves(view, set()):
        if isinstance(leaf, bool) or leaf is None:
            continue
        if isinstance(leaf, int):
            texts.append(str(leaf))
            texts.extend(_formats(float(leaf)))
        elif isinstance(leaf, float):
            texts.extend(_formats(leaf))
        elif isinstance(leaf, datetime):
            texts.extend((f.utc_time(leaf), f.utc_datetime(leaf), f.utc_date(leaf),
                          f.utc_since(leaf, leaf + timedelta(days=2))))
        elif isinstance(leaf, str):
            texts.append(leaf)
    odds = getattr(view, "odds", None)  # shares of 0–1 print as percent: "53%"
    for h in odds.horizons if odds is not None else ():
        for share in (h.frequency, h.base_rate, h.probability):
            texts.extend(f.pct(share * 100.0, signed=False, digits=d) for d in (0, 1, 2))
    return {token for text in texts for token in number_tokens(text)}


_ALLOWED_CACHE: dict[int, tuple[Any, set[str]]] = {}


def _allowed_cached(view: Any) -> set[str]:
    """``allowed_numbers(view)``, computed once per view object."""
    hit = _ALLOWED_CACHE.get(id(view))
    if hit is None or hit[0] is not view:
        hit = (view, allowed_numbers(view))
        _ALLOWED_CACHE[id(view)] = hit
    return hit[1]


def unverified_numbers(text: str, view: Any, extra: Iterable[str] = ()) -> list[str]:
    """Numbers in ``text`` that are no formatted field of ``view``."""
    allowed = _allowed_cached(view) | {t for e in extra for t in number_tokens(e)}
    return [token for token in number_tokens(text) if token not in allowed]
