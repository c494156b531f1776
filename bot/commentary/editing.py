"""Render, review, fall back: a post the editor rejects is rewritten, never sent as is.

``edit(draft, view, analysis, kind)`` renders a first draft, reviews its claims
(``bot.commentary.editor``) and, while violations remain, renders again with the
editor's directives: first the rules' fallback wordings (templates test
``ed.avoids(rule)``) and a headline and opening whose claims pass and which leave a
repeated figure to the body, then (third draft on) the offending sections dropped
(``drop:SECTION``). Every rejected draft is logged with its rule names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.analysis.model import Analysis
from bot.commentary.claims import Claims
from bot.commentary.editor import Violation, repeated_figure, review, review_claims
from bot.commentary.phrasing import Phrase
from bot.commentary.views import PostView

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Sections re-chosen from the phrase banks rather than dropped.
PHRASE_SECTIONS = frozenset({"headline", "brief"})
#: Drafts after the first: fallback wordings, then sections dropped, then more dropped.
MAX_REDRAFTS = 5


@dataclass(frozen=True, slots=True)
class Directives:
    """What the next draft must do: fallback wordings and a verdict on phrases."""

    avoid: frozenset[str]
    accept: Callable[[Phrase], bool] | None = None
    accept_claims: Callable[[Phrase], bool] | None = None

    def verdicts(self) -> tuple[Callable[[Phrase], bool] | None, ...]:
        """Phrase verdicts from strictest to none, for a bank with no variant that passes."""
        return (*(v for v in (self.accept, self.accept_claims) if v is not None), None)


@dataclass(frozen=True, slots=True)
class Edit:
    """The editor's record of one post: the first draft's violations and the drafts made."""

    kind: str
    first_draft: tuple[Violation, ...]
    drafts: int
    sent: tuple[Violation, ...] = ()
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Edited(Generic[T]):
    """What is sent, with the editor's record."""

    post: T
    edit: Edit


Draft = Callable[[Directives], tuple[T, Claims]]


class EditorError(RuntimeError):
    """No draft passed the editor (a rule without a working fallback)."""


def phrase_verdict(view: PostView, analysis: Analysis, banned_figures: frozenset[str],
                   in_headline: bool = False) -> Callable[[Phrase], bool]:
    """Accepts phrases whose own claims pass and that avoid ``banned_figures`` (in the
    opening; in the headline too when ``in_headline``: the headline keeps its story
    as long as the opening can give way)."""
    def accept(phrase: Phrase) -> bool:
        if review_claims(phrase.claims.claims, view, analysis):
            return False
        return not any(f.key in banned_figures and (in_headline or f.section != "headline")
                       for f in phrase.claims.figures)
    return accept


def headline_verdict(view: PostView, analysis: Analysis,
                     body: Claims | None) -> Callable[[Phrase], bool]:
    """Accepts headlines whose claims pass and, beside ``body``, repeat no figure."""
    def accept(phrase: Phrase) -> bool:
        if review_claims(phrase.claims.claims, view, analysis):
            return False
        return body is None or not repeated_figure(phrase.claims.figures + body.figures)
    return accept


def _next(directives: Directives, found: tuple[Violation, ...], redraft: int,
          view: PostView, analysis: Analysis, banned: frozenset[str]) -> Directives:
    avoid = set(directives.avoid) | {v.rule for v in found}
    avoid |= {"repeat:" + v.detail for v in found if v.rule == "repeated_figure"}
    if redraft >= 2:
        avoid |= {"drop:" + v.section for v in found if v.section not in PHRASE_SECTIONS}
    return Directives(frozenset(avoid), phrase_verdict(view, analysis, banned, redraft >= 1),
                      phrase_verdict(view, analysis, frozenset()))


def edit(draft: Draft[T], view: PostView, analysis: Analysis, kind: str,
         with_outlook: bool = True, count_figures: bool = True) -> Edited[T]:
    """The first draft that passes the editor (see module doc)."""
    directives = Directives(frozenset())
    first: tuple[Violation, ...] | None = None
    banned: frozenset[str] = frozenset()
    for redraft in range(MAX_REDRAFTS + 1):
        post, claims = draft(directives)
        outlook = with_outlook and "drop:outlook" not in directives.avoid
        found = review(claims, view, analysis, with_outlook=outlook, count_figures=count_figures)
        if first is None:
            first = found
        if not found:
            dropped = tuple(sorted(a[5:] for a in directives.avoid if a.startswith("drop:")))
            return Edited(post, Edit(kind, first, redraft + 1, found, dropped))
        log.info("editor rejected %s %s %s draft %d: %s", kind, view.symbol,
                 view.as_of.isoformat(), redraft + 1,
                 ", ".join(sorted({f"{v.rule}@{v.section}" for v in found})))
        banned |= {v.detail for v in found if v.rule == "repeated_figure"}
        directives = _next(directives, found, redraft, view, analysis, banned)
    raise EditorError(f"{kind} for {view.symbol} at {view.as_of.isoformat()} still fails: "
                      + ", ".join(sorted({v.rule for v in found})))
