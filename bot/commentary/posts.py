"""Public rendering API: articles, quick updates, whales, levels, answers, help, errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from bot.analysis.model import Analysis
from bot.commentary.claims import Claims, figure_key, recording
from bot.commentary.editing import Directives, Edited, edit, headline_verdict
from bot.commentary.editor import RULES
from bot.commentary.phrasing import Bank, Phrase, choose
from bot.commentary.related import RelatedQuestion, related_questions, render_answer_view
from bot.commentary.render import has_template, render_messages, render_template
from bot.commentary.telegram_html import Flavour, join_plain
from bot.commentary.views import PostView, build_view


@dataclass(frozen=True, slots=True)
class RenderedPost:
    """A rendered digest: plain-text headline, messages ≤ 4096 each, related questions;
    ``claims`` what the editor checked, ``headline_markup`` the headline as it appears
    in the first message."""

    headline: str
    opening: str
    scenario: str
    messages: tuple[str, ...]
    related: tuple[RelatedQuestion, ...]
    claims: Claims = field(default_factory=Claims)
    headline_markup: str = ""

    @property
    def text(self) -> str:
        """All messages as one block."""
        return join_plain(self.messages)


def _phrase_text(phrase: Phrase, flavour: Flavour) -> str | Markup:
    return Markup(phrase.html) if flavour == "html" else phrase.text


def _choose(bank: Bank, view: PostView, chat_id: int, d: Directives,
            recent: Sequence[str] = ()) -> Phrase:
    """The bank's phrase under the strictest verdict some variant passes that is not
    among ``recent`` (a chat's last headlines outrank a stricter verdict)."""
    said = {r.strip().casefold() for r in recent}
    fallback: Phrase | None = None
    for verdict in d.verdicts():
        try:
            phrase = choose(bank, view, chat_id, avoid=recent, accept=verdict)
        except LookupError:
            continue
        if phrase.text.casefold() not in said:
            return phrase
        fallback = fallback or phrase
    return fallback or choose(bank, view, chat_id, avoid=recent)


def outlook_figures(view: PostView) -> dict[str, str]:
    """The levels the "what's next" part will state, reserved for it while writing."""
    named = (view.target, view.reclaim, view.invalidation)
    return {figure_key("usd", lv.price): "outlook" for lv in named if lv is not None}


def render_article(analysis: Analysis, *, chat_id: int, flavour: Flavour,
                   recent_headlines: Sequence[str] = ()) -> RenderedPost:
    """The full digest for ``chat_id``; the headline avoids ``recent_headlines`` (oldest first)."""
    return edited_article(analysis, chat_id=chat_id, flavour=flavour,
                          recent_headlines=recent_headlines).post


def edited_article(analysis: Analysis, *, chat_id: int, flavour: Flavour,
                   recent_headlines: Sequence[str] = ()) -> Edited[RenderedPost]:
    """``render_article`` with the editor's record (first-draft violations, drafts made)."""
    view = build_view(analysis)

    answered: dict[frozenset[str], tuple[tuple[RelatedQuestion, ...], Claims]] = {}

    def answers(avoid: frozenset[str]) -> tuple[tuple[RelatedQuestion, ...], Claims]:
        """The related answers; only rule fallbacks change them, so redrafts reuse them."""
        wording = frozenset(a for a in avoid if a in RULES)
        if wording not in answered:
            with recording(wording, section="related") as rec:
                answered[wording] = (related_questions(view, flavour), rec.result())
        return answered[wording]

    def draft(d: Directives) -> tuple[RenderedPost, Claims]:
        headline = _choose("headlines", view, chat_id, d, recent_headlines)
        opening = _choose("openings", view, chat_id, d)
        related, answer_claims = answers(d.avoid)
        shown = [
            {"question": q.question, "answer": Markup(q.answer) if flavour == "html" else q.answer}
            for q in related
        ]
        ahead = {} if "drop:outlook" in d.avoid else outlook_figures(view)
        with recording(d.avoid, before=headline.claims + opening.claims,
                       reserved=ahead) as body:
            messages = render_messages(
                "article.j2", flavour, v=view, headline=_phrase_text(headline, flavour),
                opening=_phrase_text(opening, flavour), related=shown,
            )
        said = Claims(headline.claims.claims + opening.claims.claims)
        claims = said + answer_claims + body.result()
        post = RenderedPost(headline.text, opening.text, view.scenario.key, messages, related,
                            claims, str(_phrase_text(headline, flavour)))
        return post, claims

    return edit(draft, view, analysis, "article")


def reheadline(post: RenderedPost, analysis: Analysis, chat_id: int,
               recent_headlines: Sequence[str] = (), view: PostView | None = None
               ) -> Phrase | None:
    """Another headline for ``post`` (a chat's own, none of its recent ones) that the
    editor accepts beside the post's body; None when there is none (render the post
    again for that chat, so the editor can make room)."""
    view = view or build_view(analysis)
    body = Claims(figures=tuple(f for f in post.claims.figures if f.section != "headline"))
    recent = {h.strip().casefold() for h in recent_headlines}
    try:
        phrase = choose("headlines", view, chat_id, avoid=recent_headlines,
                        accept=headline_verdict(view, analysis, body))
    except LookupError:
        return None
    return None if phrase.text.casefold() in recent else phrase


def render_quick(analysis: Analysis, flavour: Flavour) -> str:
    """The /btc reply: a tight update of 6–10 lines."""
    return edited_quick(analysis, flavour).post


def edited_quick(analysis: Analysis, flavour: Flavour) -> Edited[str]:
    """``render_quick`` with the editor's record."""
    view = build_view(analysis)

    def draft(d: Directives) -> tuple[str, Claims]:
        with recording(d.avoid, section="quick") as rec:
            text = render_template("quick.j2", flavour, v=view)
        return text, rec.result()

    return edit(draft, view, analysis, "quick", with_outlook=False, count_figures=False)


def render_whales(analysis: Analysis, flavour: Flavour) -> tuple[str, ...]:
    """Whale positioning in detail, split into messages."""
    return _edited_messages("whales.j2", "whales", analysis, flavour)


def render_levels(analysis: Analysis, flavour: Flavour) -> tuple[str, ...]:
    """Support and resistance levels, split into messages."""
    return _edited_messages("levels.j2", "levels", analysis, flavour)


def _edited_messages(name: str, kind: str, analysis: Analysis,
                     flavour: Flavour) -> tuple[str, ...]:
    view = build_view(analysis)

    def draft(d: Directives) -> tuple[tuple[str, ...], Claims]:
        with recording(d.avoid, section=kind) as rec:
            messages = render_messages(name, flavour, v=view)
        return messages, rec.result()

    return edit(draft, view, analysis, kind, with_outlook=False, count_figures=False).post


def render_answer(intent: str, analysis: Analysis, flavour: Flavour,
                  topic: str | None = None, standalone: bool = True) -> str:
    """The answer of a follow-up ``intent`` (``topic`` for ``explain``) from ``analysis``."""
    if not has_template(f"answers/{intent}.j2"):
        raise ValueError(f"unknown intent {intent!r}: no templates/answers/{intent}.j2")
    view = build_view(analysis)

    def draft(d: Directives) -> tuple[str, Claims]:
        with recording(d.avoid, section="related") as rec:
            text = render_answer_view(intent, view, flavour, topic, standalone)
        return text, rec.result()

    return edit(draft, view, analysis, "answer", with_outlook=False, count_figures=False).post


def render_answer_for_view(intent: str, view: PostView, flavour: Flavour,
                           topic: str | None = None) -> str:
    """Same as ``render_answer`` for an already built view."""
    return render_answer_view(intent, view, flavour, topic)
