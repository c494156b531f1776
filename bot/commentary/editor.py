"""The editor: checks what a post claims against the analysis before it is sent.

Pure functions. ``review(claims, view, analysis)`` returns the violations of every rule;
each ``Violation`` names its rule (the name the logs and the fallback directives use)
and the section it sits in. The claims come from the rendering itself (see
``bot.commentary.claims``) plus those the view model implies for the outlook, so the
rules compare structured statements with the Analysis, never regexes with prose.

Rules
- ``headline_direction``: a headline (or heading) told as a rise on a falling day, or
  as a fall on a rising day.
- ``rebound_threshold``: a rebound told that the event detector would not call one.
- ``swing_low_as_day_low``: a price told as the low while the day's real low is lower.
- ``di_tie``: +DI and −DI that print the same told as one side above or in control.
- ``forming_candle``: DMI/ADX read on a still-forming candle without saying so.
- ``stale_data``: whale or derivatives figures older than their freshness limit
  shown without their time.
- ``sections_contradict``: who is in control told both ways, a headline's control
  against the gauges' read, a level on the wrong side of price, or a bearish view's
  reversal level beside a bullish read.
- ``repeated_figure``: the same figure stated more than twice in one post.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.analysis.events import is_rebound
from bot.analysis.model import Analysis, TrendReading
from bot.commentary.claims import MAX_MENTIONS, Claim, Claims, Figure, mentions
from bot.commentary.formatting import number
from bot.commentary.views import DATA_FRESH_LIMIT, FLAT_CHANGE_PCT, PostView

#: A price told as the low may exceed the real low by this fraction (display rounding).
LOW_TOLERANCE = 0.0005
#: Level roles and the side of price each must sit on (target: by its view).
BELOW_ROLES = frozenset({"support", "invalidation"})
ABOVE_ROLES = frozenset({"resistance", "reclaim", "reversal", "hurdle"})
#: Roles that only make sense in a bearish view (the level a recovery must reclaim).
BEARISH_ROLES = frozenset({"reclaim", "reversal"})
RULES: tuple[str, ...] = (
    "headline_direction", "rebound_threshold", "swing_low_as_day_low", "di_tie",
    "forming_candle", "stale_data", "sections_contradict", "repeated_figure",
)


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule broken in ``section``; ``detail`` is a code (a figure key, a role, a side)."""

    rule: str
    section: str
    detail: str = ""


Rule = Callable[[tuple[Claim, ...], PostView, Analysis], Iterable[Violation]]


def _of(claims: Iterable[Claim], kind: str) -> list[Claim]:
    return [c for c in claims if c.kind == kind]


def headline_direction(claims: tuple[Claim, ...], view: PostView,
                       analysis: Analysis) -> Iterable[Violation]:
    """Day-move tones against the 24h change."""
    price = analysis.price
    change = price.change_24h_pct if price is not None else None
    if change is None:
        return
    for c in _of(claims, "tone"):
        if c.basis != "day":
            continue
        if (c.direction == "bearish" and change >= FLAT_CHANGE_PCT) or (
                c.direction == "bullish" and change <= -FLAT_CHANGE_PCT):
            yield Violation("headline_direction", c.section, c.direction or "")


def rebound_threshold(claims: tuple[Claim, ...], view: PostView,
                      analysis: Analysis) -> Iterable[Violation]:
    """Rebounds the event detector would not call rebounds."""
    for c in _of(claims, "rebound"):
        if c.value is None or c.other is None or not is_rebound(c.other, c.value):
            yield Violation("rebound_threshold", c.section)


def swing_low_as_day_low(claims: tuple[Claim, ...], view: PostView,
                         analysis: Analysis) -> Iterable[Violation]:
    """A low above the real 24h low."""
    price = analysis.price
    if price is None or price.low_24h is None:
        return
    for c in _of(claims, "low"):
        if c.value is not None and c.value > price.low_24h * (1 + LOW_TOLERANCE):
            yield Violation("swing_low_as_day_low", c.section)


def _tied(reading: TrendReading | None) -> bool:
    if reading is None or reading.plus_di is None or reading.minus_di is None:
        return False
    return number(reading.plus_di) == number(reading.minus_di)


def _reading(view: PostView, analysis: Analysis, timeframe: str | None) -> TrendReading | None:
    return analysis.trend.get(timeframe or view.trend_timeframe)


def di_tie(claims: tuple[Claim, ...], view: PostView, analysis: Analysis) -> Iterable[Violation]:
    """One DI told above the other, or a camp in control, when both print the same."""
    for c in _of(claims, "di_order"):
        if c.value is None or c.other is None or number(c.value) == number(c.other):
            yield Violation("di_tie", c.section, c.timeframe or "")
    for c in _of(claims, "tone"):
        if c.basis == "control" and _tied(_reading(view, analysis, c.timeframe)):
            yield Violation("di_tie", c.section, c.timeframe or "")


def forming_candle(claims: tuple[Claim, ...], view: PostView,
                   analysis: Analysis) -> Iterable[Violation]:
    """DMI/ADX on a forming candle told as if closed."""
    for c in _of(claims, "reading"):
        reading = _reading(view, analysis, c.timeframe)
        if reading is not None and reading.forming and not c.disclosed:
            yield Violation("forming_candle", c.section, c.timeframe or "")


def stale_data(claims: tuple[Claim, ...], view: PostView,
               analysis: Analysis) -> Iterable[Violation]:
    """Old whale or derivatives figures shown without their time."""
    for c in _of(claims, "data"):
        if c.when is not None and analysis.as_of - c.when > DATA_FRESH_LIMIT and not c.disclosed:
            yield Violation("stale_data", c.section, c.basis or "")


def _bias_side(analysis: Analysis) -> str | None:
    label = analysis.bias.label
    return "bearish" if "bearish" in label else ("bullish" if "bullish" in label else None)


def _level_side_wrong(c: Claim, last: float) -> bool:
    if c.value is None:
        return False
    role = c.basis or ""
    below = role in BELOW_ROLES or (role == "target" and c.direction == "bearish")
    above = role in ABOVE_ROLES or (role == "target" and c.direction == "bullish")
    return (below and c.value >= last) or (above and c.value <= last)


def sections_contradict(claims: tuple[Claim, ...], view: PostView,
                        analysis: Analysis) -> Iterable[Violation]:
    """Control told both ways or against the trend; levels on the wrong side or view."""
    bias = _bias_side(analysis)
    for c in _of(claims, "tone"):
        if c.basis != "control":
            continue
        reading = _reading(view, analysis, c.timeframe)
        if reading is None or reading.direction != c.direction or reading.strength == "weak":
            yield Violation("sections_contradict", c.section, "control")
        elif c.section == "headline" and bias is not None and bias != c.direction:
            yield Violation("sections_contradict", c.section, "bias")
    last = analysis.price.last if analysis.price is not None else None
    for c in _of(claims, "level"):
        if last is not None and _level_side_wrong(c, last):
            yield Violation("sections_contradict", c.section, "side")
        elif (c.basis in BEARISH_ROLES and bias == "bullish") or (
                c.direction is not None and bias is not None and c.direction != bias):
            yield Violation("sections_contradict", c.section, "view")


def repeated_figure(figures: Iterable[Figure]) -> list[Violation]:
    """Figures stated more than MAX_MENTIONS times: one violation per section holding a
    mention past the allowed ones."""
    out: dict[tuple[str, str], Violation] = {}
    for figure, count in mentions(figures):
        if count > MAX_MENTIONS:
            out.setdefault((figure.section, figure.key),
                           Violation("repeated_figure", figure.section, figure.key))
    return list(out.values())


def outlook_claims(view: PostView) -> tuple[Claim, ...]:
    """The levels the "what's next" part names, as claims (from the view, not its words)."""
    direction = view.outlook_direction
    named = (("target", view.target), ("reclaim", view.reclaim),
             ("invalidation", view.invalidation))
    return tuple(Claim("level", "outlook", direction=direction, basis=role, value=lv.price)
                 for role, lv in named if lv is not None)


CLAIM_RULES: tuple[Rule, ...] = (
    headline_direction, rebound_threshold, swing_low_as_day_low, di_tie, forming_candle,
    stale_data, sections_contradict,
)


def review_claims(claims: tuple[Claim, ...], view: PostView,
                  analysis: Analysis) -> tuple[Violation, ...]:
    """Violations of the claim rules (a phrase, or part of a post)."""
    return tuple(v for rule in CLAIM_RULES for v in rule(claims, view, analysis))


def review(claims: Claims, view: PostView, analysis: Analysis,
           with_outlook: bool = True, count_figures: bool = True) -> tuple[Violation, ...]:
    """Every violation in a rendered post's ``claims``.

    ``count_figures`` is off for the quick update and answers: a data card that lists
    the 24h range and the swing may repeat a price by design.
    """
    stated = claims.claims + (outlook_claims(view) if with_outlook else ())
    repeated = repeated_figure(claims.figures) if count_figures else []
    return (*review_claims(stated, view, analysis), *repeated)
