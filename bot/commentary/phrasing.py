"""Scenario phrase banks: headline and opening variants, chosen reproducibly per chat.

Banks live in ``templates/phrases/*.toml``: tables keyed ``direction.strength.event``
with ``*`` wildcards, each a list of jinja2 variants. All variants whose key matches
the scenario form the pool; a seeded shuffle (chat id, snapshot time) orders it and
the first variant that renders and is not among the chat's recent headlines wins.
A variant that needs a missing value (or calls ``need(False)``) is skipped.

A table may declare what its variants claim: ``tone`` (the day's move they describe,
bullish or bearish), ``control`` (the camp they say runs the trend) and ``says`` (facts
of the view they present: ``low`` = the swing low as the low, ``rebound`` = the swing's
bounce); a variant may be an inline table ``{ text = "...", tone = "..." }`` overriding
them. Variants may also
record claims with ``ed.claim(...)``; both end up in ``Phrase.claims`` for the editor,
and ``choose(accept=...)`` skips variants the editor would reject.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from jinja2 import TemplateError

from bot.commentary.claims import Claim, Claims, paused, recording
from bot.commentary.render import render_string
from bot.commentary.telegram_html import Flavour
from bot.commentary.views import PostView, Scenario
from bot.resources import templates_dir

Bank = Literal["headlines", "openings"]
_PRELUDE = (
    '{% import "_macros/words.j2" as w %}{% import "_macros/markup.j2" as m %}'
    '{% set coin = w.coin(v.symbol) %}'
)


class SkipVariant(Exception):
    """Raised inside a variant whose precondition does not hold."""


def need(condition: object) -> str:
    """Template helper: skip this variant unless ``condition`` is truthy."""
    if not condition:
        raise SkipVariant
    return ""


@dataclass(frozen=True, slots=True)
class Phrase:
    """A chosen variant: its bank key and index, and its text in both flavours."""

    key: str
    index: int
    text: str
    html: str
    claims: Claims = field(default_factory=Claims)


@dataclass(frozen=True, slots=True)
class Variant:
    """One bank variant: its jinja2 source and the tones it declares."""

    source: str
    tone: str | None = None
    control: str | None = None
    says: tuple[str, ...] = ()

    def declared(self, section: str, view: PostView) -> tuple[Claim, ...]:
        """The claims the bank declares for this variant, with the view's figures."""
        out = [Claim("tone", section, direction=direction, basis=basis)
               for basis, direction in (("day", self.tone), ("control", self.control))
               if direction is not None]
        swing = view.swing
        if swing is not None and "low" in self.says:
            out.append(Claim("low", section, value=swing.low))
        if swing is not None and "rebound" in self.says:
            out.append(Claim("rebound", section, value=swing.rebound_pct, other=swing.drop_pct))
        return tuple(out)


def _variant(entry: str | dict[str, Any], table: dict[str, Any]) -> Variant:
    if isinstance(entry, str):
        entry = {"text": entry}
    return Variant(entry["text"], entry.get("tone", table.get("tone")),
                   entry.get("control", table.get("control")),
                   tuple(entry.get("says", table.get("says", ()))))


@cache
def load_bank(bank: Bank) -> dict[str, tuple[Variant, ...]]:
    """The variants of ``bank`` by scenario key (cached)."""
    path = templates_dir() / "phrases" / f"{bank}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {key: tuple(_variant(v, entry) for v in entry["variants"])
            for key, entry in data.items()}


def _matches(pattern: str, scenario: Scenario) -> bool:
    if scenario.event == "nohistory":  # no price history: no generic story fits
        return pattern == scenario.key
    wanted = (scenario.direction, scenario.strength, scenario.event)
    parts = pattern.split(".")
    return len(parts) == 3 and all(p in ("*", w) for p, w in zip(parts, wanted, strict=True))


def pool(bank: Bank, scenario: Scenario) -> list[tuple[str, int, Variant]]:
    """Every (key, index, variant) that fits ``scenario``."""
    return [
        (key, i, source)
        for key, variants in sorted(load_bank(bank).items())
        if _matches(key, scenario)
        for i, source in enumerate(variants)
    ]


def _render(source: str, flavour: Flavour, context: dict[str, Any]) -> str | None:
    try:
        return render_string(_PRELUDE + source, flavour, need=need, **context).strip()
    except (SkipVariant, TemplateError, ValueError, TypeError, AttributeError):
        return None


def specificity(key: str) -> int:
    """How specific a bank key is: the event part counts double (0–4).

    A crash or a breakout is the story of the day, so its phrasing outranks a
    phrasing keyed on direction or trend strength alone.
    """
    direction, strength, event = [*key.split("."), "*", "*", "*"][:3]
    return (direction != "*") + (strength != "*") + 2 * (event != "*")


def seeded_order(variants: Sequence[tuple[str, int, Variant]], chat_id: int, view: PostView,
                 salt: str) -> list[tuple[str, int, Variant]]:
    """Variants in a reproducible order for (chat, snapshot time, salt).

    The most specific keys come first (shuffled among themselves); the more generic
    ones follow and are reached when a chat has recently seen every specific variant.
    """
    rng = random.Random(f"{chat_id}|{view.as_of.isoformat()}|{salt}")
    keyed = [((specificity(v[0]), rng.random()), v) for v in variants]
    return [v for _, v in sorted(keyed, key=lambda kv: kv[0], reverse=True)]


def _phrase(key: str, index: int, variant: Variant, ctx: dict[str, Any],
            section: str) -> Phrase | None:
    with recording(section=section) as recorder:
        text = _render(variant.source, "text", ctx)
    if not text:
        return None
    with paused():
        html = _render(variant.source, "html", ctx) or text
    claims = Claims(variant.declared(section, ctx["v"])) + recorder.result().moved_to(section)
    return Phrase(key, index, text, html, claims)


def choose(bank: Bank, view: PostView, chat_id: int, avoid: Sequence[str] = (),
           context: dict[str, Any] | None = None,
           accept: Callable[[Phrase], bool] | None = None) -> Phrase:
    """The variant for this chat and snapshot, avoiding texts in ``avoid``.

    When every variant was used recently, the one used longest ago is taken.
    ``accept`` (the editor's verdict) skips variants whose claims it rejects.
    """
    ctx = {"v": view, **(context or {})}
    recent = [a.strip().casefold() for a in avoid]
    fallback: tuple[int, Phrase] | None = None
    section = "headline" if bank == "headlines" else "brief"
    for key, index, variant in seeded_order(pool(bank, view.scenario), chat_id, view, bank):
        phrase = _phrase(key, index, variant, ctx, section)
        if phrase is None or (accept is not None and not accept(phrase)):
            continue
        text = phrase.text
        folded = text.casefold()
        if folded not in recent:
            return phrase
        last_used = len(recent) - 1 - recent[::-1].index(folded)
        if fallback is None or last_used < fallback[0]:
            fallback = (last_used, phrase)
    if fallback is None:
        raise LookupError(f"no {bank} variant renders for scenario {view.scenario.key}")
    return fallback[1]
