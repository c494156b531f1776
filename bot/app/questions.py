"""Answering a question about the market: the chat's context, the right analysis, the words.

A question is matched and resolved by ``bot.qa`` against the post it replies to and the
chat's last question (kept in ``chat_context``, so it survives a restart), then answered from
the right analysis: the replied post's stored one (with its as-of time when it is no longer
current) or the current snapshot. The chat's new context is stored before the answer goes
out, so a quick "and eth?" finds it. Cross rates and conversions ask the market service
for both coins' current analyses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from markupsafe import Markup

from bot.app.service import MarketService
from bot.app.views import VIEWS, View
from bot.errors import StorageError
from bot.qa.answer import answer_question
from bot.qa.context import ChatContext, RepliedPost, Resolution, remember
from bot.qa.intents import PAIR_INTENTS, UNKNOWN
from bot.qa.match import Match
from bot.qa.pair_answer import pair_text
from bot.storage import StoredPost

log = logging.getLogger(__name__)
#: ``post_messages.view`` prefix of an answer message: ``answer:<intent>[:<topic>]``.
ANSWER_VIEW = "answer"
QUICK: View = "quick"


def answer_view(intent: str, topic: str | None) -> str:
    """The view an answer message is linked under (keeps its intent for replies to it)."""
    return ":".join(p for p in (ANSWER_VIEW, intent, topic) if p)


def parse_answer_view(view: str) -> tuple[str, str | None] | None:
    """(intent, topic) of an answer message's view, ``None`` for posts and charts."""
    parts = view.split(":")
    if len(parts) < 2 or parts[0] != ANSWER_VIEW:
        return None
    return parts[1], (parts[2] if len(parts) > 2 else None)


@dataclass(frozen=True, slots=True)
class Replied:
    """The bot message a question replies to: the post it shows and how it shows it."""

    post: RepliedPost
    stored: StoredPost
    view: str


async def replied_post(service: MarketService, chat_id: int, message_id: int
                       ) -> Replied | None:
    """The stored post behind the bot's message ``message_id``, if it still has one."""
    link = await service.storage.message(chat_id, message_id)
    stored = await service.stored(link.post_id) if link is not None else None
    if link is None or stored is None:
        return None
    intent, topic = parse_answer_view(link.view) or (None, None)
    return Replied(RepliedPost(stored.symbol, stored.as_of, intent, topic), stored, link.view)


def repeated_view(match: Match, replied: Replied | None, last: ChatContext | None
                  ) -> View | None:
    """The post view to repeat for "and eth?" when no question was asked before.

    A bare follow-up replying to a post repeats that post's view; one without any earlier
    question in the chat gets the quick take. Otherwise ``None``: the question is answered.
    """
    if not (match.is_followup_same_intent and match.symbol and match.symbol_supported
            and match.timeframe is None):
        return None
    if replied is not None and replied.post.intent is None:
        return cast(View, replied.view) if replied.view in VIEWS else QUICK
    return QUICK if replied is None and last is None else None


async def chat_context(service: MarketService, chat_id: int
                       ) -> tuple[ChatContext | None, str]:
    """The chat's last question and the coin it talks about now (the latest post's wins)."""
    saved = await service.storage.chat_context(chat_id)
    recent = await service.storage.latest_post_symbol(
        chat_id, saved.updated_at if saved is not None else None
    )
    focus = recent or (saved.symbol if saved is not None else None)
    default = focus or service.settings.symbol_names[0]
    if saved is None:
        return None, default
    return ChatContext(saved.intent, default, saved.topic), default


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer's text, the post it was answered from and the view to link it under."""

    text: str
    post_id: int | None
    view: str


async def answer(service: MarketService, chat_id: int, resolution: Resolution,
                 stored: StoredPost | None, previous: ChatContext | None,
                 question: str | None = None) -> Answer:
    """Answer ``resolution`` from ``stored`` (else the current snapshot); remember it."""
    analysis, post_id, stale_as_of = None, None, cast(datetime | None, None)
    pair = resolution.pair if resolution.intent in PAIR_INTENTS else None
    if pair is not None and resolution.needs_market:
        analyses = {c: (await service.analysed(c)).analysis for c in pair.coins}
        body = pair_text(resolution.intent, pair, analyses, service.flavour)
    elif resolution.needs_market and stored is not None:
        analysis, post_id = stored.analysis, stored.id
        current = await service.current_as_of(stored.symbol)
        if current is None or current > stored.as_of:
            stale_as_of = stored.as_of
    elif resolution.needs_market:
        market = await service.analysed(resolution.symbol)
        analysis, post_id = market.analysis, market.post_id
    if pair is None or not resolution.needs_market:
        body = answer_question(resolution, analysis, service.flavour,
                               service.settings.symbol_names)
    text = service.text(
        "telegram/answer.j2",
        answer=Markup(body) if service.flavour == "html" else body,
        question=question, as_of=stale_as_of, hint=resolution.intent == UNKNOWN,
    )
    remembered = remember(resolution, previous)  # before replying: the next may be quick
    if remembered is not None and remembered is not previous:
        try:
            await service.storage.save_chat_context(chat_id, remembered.intent,
                                                    remembered.topic, remembered.symbol)
        except StorageError as e:  # the answer goes out; "and eth?" may not follow it
            log.warning("chat context not saved: %s", e)
    return Answer(text, post_id, answer_view(resolution.intent, resolution.topic))
