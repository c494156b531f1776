"""What a post claims, recorded while it renders, so the editor can check it against facts.

Templates state their claims through the ``ed`` global while they write the words:
``{{ ed.section("price") }}`` names the part being written, ``{{ ed.claim("rebound",
value=v.swing.rebound_pct) }}`` records a statement, and ``ed.avoids("rebound_threshold")``
asks whether the editor wants the fallback wording this time. The number filters record
every figure they print (kind and rounded value), so repetition is counted on the figures
themselves rather than by parsing prose. Outside a recording ``ed`` is inert.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.commentary.formatting import level

ClaimKind = Literal["tone", "rebound", "low", "di_order", "reading", "data", "level"]
#: Sections whose figures do not count towards repetition (Q&A restates by design).
UNCOUNTED_SECTIONS = frozenset({"related", "note", ""})
#: Filters whose output is a figure, by the family the figure belongs to.
FIGURE_FAMILIES: dict[str, str] = {
    "usd": "usd", "usd_compact": "usd", "level": "usd", "pct": "pct", "rate": "rate",
    "ratio": "ratio", "number": "number",
}


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of a post, in structured form.

    ``kind`` and its fields: ``tone`` (``direction`` bullish/bearish, ``basis`` "day" for
    the day's move, "control" for who runs the trend, "bias" for the gauges' read);
    ``rebound`` (``value`` = bounce percent off the low, ``other`` = the drop percent);
    ``low`` (``value`` = a price told as the low); ``di_order`` (``value`` = +DI, ``other``
    = −DI, ``timeframe``); ``reading`` (DMI/ADX values of ``timeframe``, ``disclosed`` when
    the text says the candle is still forming); ``data`` (``basis`` "whales" or
    "derivatives", ``when`` = the data's time, ``disclosed`` when that time is shown);
    ``level`` (``basis`` its role, ``value`` its price, ``direction`` the view it serves).
    """

    kind: ClaimKind
    section: str
    direction: str | None = None
    basis: str | None = None
    value: float | None = None
    other: float | None = None
    timeframe: str | None = None
    when: datetime | None = None
    disclosed: bool = False


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure printed in ``section``; ``key`` is its family and rounded value, ``exact``
    the full-precision text when it was printed in full ($87,480; "" for $87.5k).

    Two mentions are the same figure when their keys match and their exact texts do
    not differ ($87,480 and $87.5k are; $87,480 and $87,520 are not).
    """

    section: str
    key: str
    exact: str = ""

    def same(self, other: Figure) -> bool:
        """Whether ``other`` states the same figure."""
        return self.key == other.key and (
            not self.exact or not other.exact or self.exact == other.exact)


def mentions(figures: Iterable[Figure]) -> list[tuple[Figure, int]]:
    """Each counted figure with how many sections had stated it up to and including its
    own (a section naming a figure twice, a total and its one position, states it once)."""
    counted = [f for f in figures if f.section not in UNCOUNTED_SECTIONS]
    return [(f, len({g.section for g in counted[:i + 1] if g.same(f)}))
            for i, f in enumerate(counted)]


@dataclass(frozen=True, slots=True)
class Claims:
    """Everything recorded over one rendering (or one phrase)."""

    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()

    def __add__(self, other: Claims) -> Claims:
        return Claims(self.claims + other.claims, self.figures + other.figures)

    def moved_to(self, section: str) -> Claims:
        """The same claims, attributed to ``section`` (a phrase's place in the post)."""
        return Claims(
            tuple(_with_section(c, section) for c in self.claims),
            tuple(Figure(section, f.key, f.exact) for f in self.figures),
        )


def _with_section(claim: Claim, section: str) -> Claim:
    return Claim(claim.kind, section, claim.direction, claim.basis, claim.value, claim.other,
                 claim.timeframe, claim.when, claim.disclosed)


def figure_key(family: str, value: float) -> str:
    """Figures that read the same share a key: prices as a level prints them ($60,000
    and $60k), percentages to two decimals, others to three significant digits."""
    magnitude = abs(float(value))
    if family == "usd" and math.isfinite(magnitude):
        return "usd:" + level(magnitude)
    if family == "pct":
        magnitude = round(magnitude, 2)
    if magnitude == 0 or not math.isfinite(magnitude):
        return f"{family}:0"
    digits = 2 - math.floor(math.log10(magnitude))
    return f"{family}:{round(magnitude, digits):g}"


@dataclass(slots=True)
class Recorder:
    """Collects claims and figures during one rendering; ``avoid`` holds editor directives."""

    avoid: frozenset[str] = frozenset()
    current: str = ""
    claims: list[Claim] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    reserved: dict[str, str] = field(default_factory=dict)

    def result(self) -> Claims:
        """The recorded claims, frozen."""
        return Claims(tuple(self.claims), tuple(self.figures))


_ACTIVE: ContextVar[Recorder | None] = ContextVar("commentary_recorder", default=None)


#: A figure may be stated this many times in one post.
MAX_MENTIONS = 2


@contextmanager
def recording(avoid: frozenset[str] = frozenset(), section: str = "",
              before: Claims | None = None,
              reserved: dict[str, str] | None = None) -> Iterator[Recorder]:
    """Record the claims of everything rendered inside the block.

    ``before`` holds what the post already said (its headline and opening), so
    ``ed.room`` counts their figures too; ``reserved`` maps figure keys to the later
    section that will state them (the outlook's levels), counted before it is reached.
    """
    said = list(before.figures) if before is not None else []
    recorder = Recorder(avoid=avoid, current=section, figures=said,
                        reserved=dict(reserved or {}))
    token = _ACTIVE.set(recorder)
    try:
        yield recorder
    finally:
        _ACTIVE.reset(token)


@contextmanager
def paused() -> Iterator[None]:
    """Render without recording (a variant tried and thrown away, a second flavour)."""
    token = _ACTIVE.set(None)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


class Hooks:
    """The ``ed`` template global: talks to the active recorder, inert without one."""

    def section(self, name: str) -> str:
        """Attribute what follows to section ``name``."""
        recorder = _ACTIVE.get()
        if recorder is not None:
            recorder.current = name
        return ""

    def claim(self, kind: ClaimKind, **facts: Any) -> str:
        """Record a claim of the section being written."""
        recorder = _ACTIVE.get()
        if recorder is not None:
            recorder.claims.append(Claim(kind, recorder.current, **facts))
        return ""

    def avoids(self, directive: str) -> bool:
        """Whether the editor asked for the fallback wording ``directive``."""
        recorder = _ACTIVE.get()
        return recorder is not None and directive in recorder.avoid

    def room(self, value: float | None, family: str = "usd") -> bool:
        """Whether ``value`` may still be stated: fewer than MAX_MENTIONS so far, and not
        a figure the editor found repeated in an earlier draft (``repeat:KEY``)."""
        recorder = _ACTIVE.get()
        if recorder is None or value is None:
            return True
        probe = Figure(recorder.current, figure_key(family, value))
        if "repeat:" + probe.key in recorder.avoid:
            return False
        said = {f.section for f in recorder.figures
                if f.section not in UNCOUNTED_SECTIONS and f.same(probe)}
        later = recorder.reserved.get(probe.key)
        if later is not None and later not in {f.section for f in recorder.figures}:
            said.add(later)
        return len(said - {recorder.current}) < MAX_MENTIONS

    def keeps(self, section: str) -> bool:
        """Whether section ``section`` is kept (the editor may drop it)."""
        return not self.avoids("drop:" + section)


HOOKS = Hooks()


def recording_filter(name: str, fn: Callable[..., str]) -> Callable[..., str]:
    """``fn`` (a number filter) that also records the figure it prints."""
    family = FIGURE_FAMILIES.get(name)
    if family is None:
        return fn

    def record(value: Any, *args: Any, **kwargs: Any) -> str:
        text = fn(value, *args, **kwargs)
        recorder = _ACTIVE.get()
        if recorder is not None and isinstance(value, int | float):
            exact = text if name == "usd" else ""
            recorder.figures.append(Figure(recorder.current, figure_key(family, value), exact))
        return text

    return record
