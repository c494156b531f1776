"""Public rendering API: articles, quick updates, whales, levels, answers, help, errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup

from bot.analysis.model import Analysis
from bot.commentary.phrasing import Phrase, choose
from bot.commentary.related import RelatedQuestion, related_questions, render_answer_view
from bot.commentary.render import render_messages, render_template
from bot.commentary.telegram_html import Flavour, join_plain
from bot.commentary.views import PostView, build_view

INTENTS: tuple[str, ...] = (
    "price", "change", "range", "trend", "bias", "support", "resistance", "outlook",
    "whales", "long_short", "open_interest", "volume", "funding", "explain", "help",
)
EXPLAIN_TOPICS: tuple[str, ...] = (
    "adx", "dmi", "rsi", "macd", "sma", "ema", "atr", "support", "resistance", "long_short",
    "open_interest", "funding", "volume", "liquidation", "leverage", "bias", "whales",
)
ErrorKind = Literal[
    "unknown_symbol", "venue_down", "no_data", "bad_argument", "flood", "busy",
    "stale_button", "too_long", "not_allowed", "operators_only", "internal",
]


@dataclass(frozen=True, slots=True)
class RenderedPost:
    """A rendered digest: plain-text headline, messages ≤ 4096 each, related questions."""

    headline: str
    opening: str
    scenario: str
    messages: tuple[str, ...]
    related: tuple[RelatedQuestion, ...]

    @property
    def text(self) -> str:
        """All messages as one block."""
        return join_plain(self.messages)


def _phrase_text(phrase: Phrase, flavour: Flavour) -> str | Markup:
    return Markup(phrase.html) if flavour == "html" else phrase.text


def render_article(analysis: Analysis, *, chat_id: int, flavour: Flavour,
                   recent_headlines: Sequence[str] = ()) -> RenderedPost:
    """The full digest for ``chat_id``; the headline avoids ``recent_headlines`` (oldest first)."""
    view = build_view(analysis)
    headline = choose("headlines", view, chat_id, avoid=recent_headlines)
    opening = choose("openings", view, chat_id)
    related = related_questions(view, flavour)
    shown = [
        {"question": q.question, "answer": Markup(q.answer) if flavour == "html" else q.answer}
        for q in related
    ]
    messages = render_messages(
        "article.j2", flavour, v=view, headline=_phrase_text(headline, flavour),
        opening=_phrase_text(opening, flavour), related=shown,
    )
    return RenderedPost(headline.text, opening.text, view.scenario.key, messages, related)


def render_quick(analysis: Analysis, flavour: Flavour) -> str:
    """The /btc reply: a tight update of 6–10 lines."""
    return render_template("quick.j2", flavour, v=build_view(analysis))


def render_whales(analysis: Analysis, flavour: Flavour) -> tuple[str, ...]:
    """Whale positioning in detail, split into messages."""
    return render_messages("whales.j2", flavour, v=build_view(analysis))


def render_levels(analysis: Analysis, flavour: Flavour) -> tuple[str, ...]:
    """Support and resistance levels, split into messages."""
    return render_messages("levels.j2", flavour, v=build_view(analysis))


def render_answer(intent: str, analysis: Analysis, flavour: Flavour,
                  topic: str | None = None, standalone: bool = True) -> str:
    """The answer of a follow-up ``intent`` (``topic`` for ``explain``) from ``analysis``."""
    if intent not in INTENTS:
        raise ValueError(f"unknown intent {intent!r}; expected one of {', '.join(INTENTS)}")
    return render_answer_view(intent, build_view(analysis), flavour, topic, standalone)


def render_answer_for_view(intent: str, view: PostView, flavour: Flavour,
                           topic: str | None = None) -> str:
    """Same as ``render_answer`` for an already built view."""
    return render_answer_view(intent, view, flavour, topic)


def render_help(commands: Sequence[str], flavour: Flavour,
                symbols: Sequence[str] = ()) -> str:
    """The /help text listing ``commands`` (names without the slash)."""
    return render_template("help.j2", flavour, commands=list(commands), symbols=list(symbols))


def render_error(kind: ErrorKind | str, flavour: Flavour, **details: Any) -> str:
    """A polite user-facing error of ``kind`` (unknown kinds read as internal errors)."""
    defaults: Mapping[str, Any] = {
        "symbol": "", "suggestion": None, "known": (), "venue": None, "argument": None,
        "usage": None, "retry_after": None, "limit": None, "reference": None,
    }
    return render_template("error.j2", flavour, kind=kind, details={**defaults, **details})
