"""Related questions under a post: 3–5 picked for what is notable, each with its answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.commentary.render import environment, render_template
from bot.commentary.telegram_html import Flavour
from bot.commentary.views import PostView

MIN_RELATED = 3
MAX_RELATED = 5
#: |mean funding per 8h| from which funding is worth a question.
FUNDING_NOTABLE = 0.0003
#: Long/short ratios outside [1/x, x] are worth a question.
LS_NOTABLE = 1.1


@dataclass(frozen=True, slots=True)
class RelatedQuestion:
    """A suggested follow-up: plain-text question, the intent/topic it maps to, its answer."""

    question: str
    intent: str
    topic: str | None
    answer: str


def _ls_notable(v: PostView) -> bool:
    d = v.derivatives
    if d is None or d.long_short_ratio is None:
        return False
    r = d.long_short_ratio
    return d.ls_divergent or r < 1 / LS_NOTABLE or r > LS_NOTABLE


#: (intent, is it notable in this view?) in priority order.
NOTABLE: tuple[tuple[str, Callable[[PostView], bool]], ...] = (
    ("range", lambda v: v.swing is not None and v.rebounded),
    ("trend", lambda v: v.trend is not None and v.trend.adx is not None
     and v.trend.strength not in (None, "weak")),
    ("long_short", _ls_notable),
    ("whales", lambda v: v.whales is not None and v.whales.addresses_with_position > 0),
    ("resistance", lambda v: v.reversal is not None),
    ("volume", lambda v: v.derivatives is not None and v.derivatives.volume_up_oi_down),
    ("funding", lambda v: v.derivatives is not None and v.derivatives.funding_mean_8h is not None
     and abs(v.derivatives.funding_mean_8h) >= FUNDING_NOTABLE),
)
#: Always-answerable fillers used to reach the minimum.
FILLERS: tuple[tuple[str, Callable[[PostView], bool]], ...] = (
    ("bias", lambda v: True),
    ("outlook", lambda v: v.target is not None or v.reclaim is not None),
    ("support", lambda v: v.next_support is not None),
    ("change", lambda v: v.price is not None and v.price.change_24h_pct is not None),
)


def pick_intents(view: PostView) -> list[str]:
    """The intents worth a related question, notable first, between 3 and 5."""
    picked = [intent for intent, notable in NOTABLE if notable(view)][:MAX_RELATED - 1]
    for intent, usable in FILLERS:
        if len(picked) >= MAX_RELATED:
            break
        wanted = intent == "bias" or len(picked) < MIN_RELATED
        if wanted and usable(view) and intent not in picked:
            picked.append(intent)
    return picked[:MAX_RELATED]


def render_answer_view(intent: str, view: PostView, flavour: Flavour,
                       topic: str | None = None, standalone: bool = True) -> str:
    """The answer template of ``intent`` rendered from ``view``."""
    return render_template(f"answers/{intent}.j2", flavour, v=view, topic=topic,
                           standalone=standalone)


def related_questions(view: PostView, flavour: Flavour) -> tuple[RelatedQuestion, ...]:
    """The related questions of a post, answers rendered in ``flavour``."""
    wording = environment("text").get_template("related/questions.j2").make_module()
    out = []
    for intent in pick_intents(view):
        question = str(getattr(wording, intent)(view)).strip()
        answer = render_answer_view(intent, view, flavour, standalone=False)
        out.append(RelatedQuestion(question, intent, None, answer))
    return tuple(out)
