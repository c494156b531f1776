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
#: A whale long share this far from 50% (points) is worth a question.
WHALE_TILT_NOTABLE = 15.0
#: A level within this distance of the price (percent) is worth a question.
LEVEL_NEAR_PCT = 0.6
#: Daily and weekly moves (percent) worth a question.
BIG_DAY_PCT = 3.0
BIG_WEEK_PCT = 10.0
#: Volume and open-interest changes (percent) worth a question.
VOLUME_CHANGE_NOTABLE = 50.0
OI_CHANGE_NOTABLE = 5.0


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


def _whales_notable(v: PostView) -> bool:
    w = v.whales
    if w is None or w.addresses_with_position == 0:
        return False
    share = w.long_share_pct
    lopsided = share is not None and abs(share - 50.0) >= WHALE_TILT_NOTABLE
    return lopsided or bool(w.changes)


def _near(level_pct: float | None) -> bool:
    return level_pct is not None and abs(level_pct) <= LEVEL_NEAR_PCT


def _big_day(v: PostView) -> bool:
    p = v.price
    if p is None:
        return False
    day = p.change_24h_pct is not None and abs(p.change_24h_pct) >= BIG_DAY_PCT
    week = p.change_7d_pct is not None and abs(p.change_7d_pct) >= BIG_WEEK_PCT
    return day or week


def _derivative(v: PostView, name: str, floor: float) -> bool:
    d = v.derivatives
    value = getattr(d, name) if d is not None else None
    return value is not None and abs(value) >= floor


#: (intent, is it notable in this view?) in priority order.
NOTABLE: tuple[tuple[str, Callable[[PostView], bool]], ...] = (
    ("range", lambda v: v.swing is not None and v.rebounded),
    ("support", lambda v: (v.breach is not None and v.breach.direction == "below")
     or (v.next_support is not None and _near(v.next_support.distance_pct))),
    ("resistance", lambda v: (v.breach is not None and v.breach.direction == "above")
     or (v.reversal is not None and _near(v.reversal.distance_pct))),
    ("trend", lambda v: v.trend is not None and v.trend.adx is not None
     and v.trend.strength in ("strong", "very strong")),
    ("whales", _whales_notable),
    ("long_short", _ls_notable),
    ("volume", lambda v: (v.derivatives is not None and v.derivatives.volume_up_oi_down)
     or _derivative(v, "volume_change_pct", VOLUME_CHANGE_NOTABLE)),
    ("open_interest", lambda v: _derivative(v, "open_interest_change_pct", OI_CHANGE_NOTABLE)),
    ("funding", lambda v: _derivative(v, "funding_mean_8h", FUNDING_NOTABLE)),
    ("change", _big_day),
)
#: Always-answerable fillers used to reach the minimum, most useful first.
FILLERS: tuple[tuple[str, Callable[[PostView], bool]], ...] = (
    ("outlook", lambda v: v.target is not None or v.reclaim is not None),
    ("bias", lambda v: True),
    ("support", lambda v: v.next_support is not None),
    ("resistance", lambda v: v.reversal is not None),
    ("change", lambda v: v.price is not None and v.price.change_24h_pct is not None),
)


def pick_intents(view: PostView) -> list[str]:
    """The intents worth a related question: what is notable first, then fillers (3–5)."""
    picked = [intent for intent, notable in NOTABLE if notable(view)][:MAX_RELATED]
    for intent, usable in FILLERS:
        if len(picked) >= MIN_RELATED:
            break
        if usable(view) and intent not in picked:
            picked.append(intent)
    return picked


def render_answer_view(intent: str, view: PostView, flavour: Flavour,
                       topic: str | None = None, standalone: bool = True,
                       crisp: bool = False) -> str:
    """The answer template of ``intent`` rendered from ``view``.

    ``crisp`` asks for the short form used under a digest, so an answer does not
    repeat a section of the article word for word.
    """
    return render_template(f"answers/{intent}.j2", flavour, v=view, topic=topic,
                           standalone=standalone, crisp=crisp)


def related_questions(view: PostView, flavour: Flavour) -> tuple[RelatedQuestion, ...]:
    """The related questions of a post, answers rendered in ``flavour``."""
    wording = environment("text").get_template("related/questions.j2").make_module()
    out = []
    for intent in pick_intents(view):
        question = str(getattr(wording, intent)(view)).strip()
        answer = render_answer_view(intent, view, flavour, standalone=False, crisp=True)
        out.append(RelatedQuestion(question, intent, None, answer))
    return tuple(out)
