"""Post views: one call per view of an analysis, for every transport.

Maps a view name ("quick", "digest", "whales", "levels", "price") onto the
commentary renderers and returns Telegram-sized message parts plus the related
questions a digest suggests (for follow-up buttons).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot import commentary
from bot.analysis import Analysis
from bot.commentary import RelatedQuestion
from bot.commentary.render import render_template
from bot.commentary.telegram_html import Flavour, split_message
from bot.market.models import MarketSnapshot

View = Literal["quick", "digest", "whales", "levels", "price"]
VIEWS: tuple[View, ...] = ("quick", "digest", "whales", "levels", "price")


@dataclass(frozen=True, slots=True)
class PostButtons:
    """What a transport needs for the buttons under a post, as plain data."""

    post_id: int
    view: View
    related: tuple[RelatedQuestion, ...] = ()
    symbol: str = ""
    #: levels the post names that a reader may turn into an alert: (name, price)
    levels: tuple[tuple[str, float], ...] = ()


#: Views whose posts carry "🔔 Alert me" buttons for the levels they name.
ALERT_VIEWS: frozenset[View] = frozenset({"levels", "quick", "digest"})


def alert_levels(analysis: Analysis, view: View) -> tuple[tuple[str, float], ...]:
    """The named levels of ``analysis`` a post of ``view`` offers as alerts (next support,
    reversal), nearest first; none for other views."""
    if view not in ALERT_VIEWS:
        return ()
    named = (("next_support", analysis.levels.next_support),
             ("reversal", analysis.levels.reversal))
    return tuple((name, level.price) for name, level in named if level is not None)


@dataclass(frozen=True, slots=True)
class RenderedView:
    """Message parts (each within Telegram's limit) and any related questions."""

    messages: tuple[str, ...]
    related: tuple[RelatedQuestion, ...] = ()


def price_text(analysis: Analysis, flavour: Flavour) -> str:
    """The short price reply of /price."""
    price = analysis.price
    return render_template(
        "telegram/price.j2",
        flavour,
        symbol=analysis.symbol,
        price=price.last if price else None,
        change_24h_pct=price.change_24h_pct if price else None,
        low_24h=price.low_24h if price else None,
        high_24h=price.high_24h if price else None,
        as_of=analysis.as_of,
    )


def render_view(view: View, analysis: Analysis, flavour: Flavour, *, chat_id: int = 0
                ) -> RenderedView:
    """``view`` of ``analysis``, split into messages."""
    if view == "digest":
        article = commentary.render_article(analysis, chat_id=chat_id, flavour=flavour)
        return RenderedView(article.messages, article.related)
    if view == "whales":
        return RenderedView(commentary.render_whales(analysis, flavour))
    if view == "levels":
        return RenderedView(commentary.render_levels(analysis, flavour))
    text = (price_text(analysis, flavour) if view == "price"
            else commentary.render_quick(analysis, flavour))
    return RenderedView(split_message(text, flavour))


async def render_chart(snapshot: MarketSnapshot, analysis: Analysis, timeframe: str,
                       dmi_period: int) -> bytes:
    """PNG bytes of the candle chart (drawn off the event loop by the commentary)."""
    from bot.commentary.charts import render_chart as draw  # matplotlib: only when drawing

    return await draw(snapshot, analysis, timeframe, dmi_period)
