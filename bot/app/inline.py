"""Inline mode: ``@bot btc``, ``@bot eth levels``, ``@bot sol chart`` typed in any chat.

The query is read as a coin and an optional view; the answer is a few cards (the post a
user may share into the chat) taken from the shared, cached market service, so every user
typing the same query reads the same rendered post. An empty query lists the configured
coins; an unknown coin gets a "did you mean" card when a coin is close, else one card
saying what went wrong. A chart is offered as a photo only when Telegram already holds its
picture (a ``file_id`` from an earlier send), never uploaded for an inline answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Literal

from bot.app.errors import failure_reply
from bot.app.service import MarketService, Post
from bot.app.views import View
from bot.errors import DataError, UnknownSymbolError, VenueError

log = logging.getLogger(__name__)

TEMPLATE = "telegram/inline.j2"
#: Telegram: at most 50 results, ids of at most 64 bytes, queries of at most 256 characters
MAX_RESULTS = 50
MAX_ID_BYTES = 64
MAX_QUERY_CHARS = 256
#: views a query may ask for, by the words people type after the coin
VIEW_WORDS: dict[str, View | Literal["chart"]] = {
    "levels": "levels", "level": "levels", "support": "levels", "resistance": "levels",
    "whales": "whales", "whale": "whales", "price": "price", "chart": "chart",
    "quick": "quick", "take": "quick", "outlook": "quick",
}
#: cards shown for a coin when no view is asked: the quick take first
DEFAULT_VIEWS: tuple[View, ...] = ("quick", "levels", "price")
CardKind = Literal["post", "chart", "suggestion", "failure"]
#: the chart an inline ``chart`` query offers (the timeframe of the posts' chart button)
CHART_TIMEFRAME = "4h"


@dataclass(frozen=True, slots=True)
class InlineCard:
    """One inline result: its id, what the list shows, and the message it sends."""

    id: str
    kind: CardKind
    title: str
    description: str
    #: the message sent when the card is chosen (Telegram HTML)
    text: str
    #: a picture Telegram already holds (chart cards only)
    photo_file_id: str | None = None


@dataclass(frozen=True, slots=True)
class InlineQuery:
    """A query as read: the coin typed (empty: none) and the view asked for, if any."""

    coin: str
    view: View | Literal["chart"] | None


def read_query(text: str) -> InlineQuery:
    """``"eth levels"`` → coin ``eth``, view ``levels``; the view word may come first."""
    words = [w.strip("$?!.,").lower() for w in text[:MAX_QUERY_CHARS].split()]
    words = [w for w in words if w]
    view = next((VIEW_WORDS[w] for w in words if w in VIEW_WORDS), None)
    coins = [w for w in words if w not in VIEW_WORDS]
    return InlineQuery(coins[0] if coins else "", view)


class InlineDesk:
    """Answers inline queries from one market service."""

    def __init__(self, service: MarketService,
                 chart_file_id: Callable[[Hashable], str | None] | None = None) -> None:
        self.service = service
        #: the Telegram ``file_id`` of a drawn chart (by its key), if it was sent before
        self.chart_file_id = chart_file_id or (lambda key: None)

    async def answer(self, text: str) -> tuple[InlineCard, ...]:
        """The cards for query ``text`` (at most :data:`MAX_RESULTS`)."""
        query = read_query(text)
        if not query.coin:
            symbols = self.service.settings.symbol_names
            found = await asyncio.gather(*(self._cards(s, query.view or "quick")
                                           for s in symbols))
            return tuple(card for cards in found for card in cards)[:MAX_RESULTS]
        views: tuple[View | Literal["chart"], ...] = (
            (query.view,) if query.view is not None else DEFAULT_VIEWS)
        try:
            cards = [card for view in views for card in await self._cards(query.coin, view,
                                                                          fail=True)]
        except UnknownSymbolError as e:
            if e.suggestion is None:
                return (self._failure(e, query.coin),)
            return tuple(self._suggested(card, query.coin)
                         for card in await self._cards(e.suggestion, views[0]))
        except (VenueError, DataError) as e:
            return (self._failure(e, query.coin),)
        return tuple(cards)[:MAX_RESULTS]

    async def _cards(self, coin: str, view: View | Literal["chart"],
                     fail: bool = False) -> list[InlineCard]:
        """The card(s) of ``view`` for ``coin`` (none when it fails and ``fail`` is off)."""
        try:
            if view == "chart":
                return await self._chart(coin)
            post = await self.service.post(coin, view)
        except (UnknownSymbolError, VenueError, DataError) as e:
            if fail:
                raise
            log.info("no inline card for %s: %s", coin, e)
            return []
        return [self._post_card(post)]

    def _post_card(self, post: Post) -> InlineCard:
        first = post.messages[0]
        return InlineCard(
            _card_id(post.view, post.symbol, post.post_id), "post",
            self.service.text(TEMPLATE, flavour="text", what="title", view=post.view,
                              symbol=post.symbol),
            self.service.text(TEMPLATE, flavour="text", what="description", view=post.view,
                              symbol=post.symbol, as_of=post.as_of, summary=first),
            first)

    async def _chart(self, coin: str) -> list[InlineCard]:
        """The 4h chart as a photo when Telegram holds it, else the quick take saying how
        to get the chart."""
        quick = await self.service.post(coin, "quick")
        timeframe = CHART_TIMEFRAME
        drawn = await self.service.drawn_chart(coin, timeframe)
        file_id = self.chart_file_id(drawn.key) if drawn is not None else None
        if drawn is not None and file_id is not None:
            title = self.service.text(TEMPLATE, flavour="text", what="title", view="chart",
                                      symbol=quick.symbol, timeframe=timeframe)
            return [InlineCard(_card_id("chart", quick.symbol, quick.post_id), "chart", title,
                               "", drawn.caption, file_id)]
        card = self._post_card(quick)
        return [InlineCard(card.id, "post", card.title, self.service.text(
            TEMPLATE, flavour="text", what="chart_not_ready", symbol=quick.symbol,
            timeframe=timeframe), card.text)]

    def _suggested(self, card: InlineCard, typed: str) -> InlineCard:
        return InlineCard(
            card.id, "suggestion",
            self.service.text(TEMPLATE, flavour="text", what="did_you_mean", typed=typed,
                              title=card.title),
            card.description, card.text, card.photo_file_id)

    def _failure(self, error: Exception, typed: str) -> InlineCard:
        failure = failure_reply(error)
        return InlineCard(
            _card_id("failure", typed.upper()[:20], 0), "failure",
            self.service.text(TEMPLATE, flavour="text", what="failure", kind=failure.kind,
                              typed=typed, **failure.details),
            self.service.text(TEMPLATE, flavour="text", what="failure_hint",
                              symbols=self.service.settings.symbol_names),
            self.service.error_text(failure.kind, **dict(failure.details)))


def _card_id(view: str, symbol: str, post_id: int) -> str:
    """``quick:BTC:123`` — unique per post and view, within Telegram's 64 bytes."""
    card_id = f"{view}:{symbol}:{post_id}"
    return card_id.encode()[:MAX_ID_BYTES].decode(errors="ignore")
