"""Answering a question about the market: the chat's context, the right analysis, the words.

A question is matched and resolved by ``bot.qa`` against the post it replies to and the
chat's last question (kept in ``chat_context``, so it survives a restart), then answered from
the right analysis: the replied post's stored one (with its as-of time when it is no longer
current) or the current snapshot. The chat's new context is stored before the answer goes
out, so a quick "and eth?" finds it. Cross rates and conversions ask the market service
for both coins' current analyses. ``converse`` answers conversation first: several
questions in one message, small talk, requests the bot cannot do, and opinion questions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast

from markupsafe import Markup

from bot.app.service import MarketService
from bot.app.views import VIEWS, View
from bot.errors import StorageError
from bot.qa.answer import answer_question, compound_text, talk_text
from bot.qa.context import ChatContext, RepliedPost, Resolution, remember, resolve
from bot.qa.intents import PAIR_INTENTS, UNKNOWN
from bot.qa.match import Match, match_question
from bot.qa.pair_answer import pair_text
from bot.qa.pairs import is_dollar
from bot.qa.symbols import coins_in
from bot.qa.talk import (
    MAX_PARTS,
    WHOLE_MESSAGE_KINDS,
    asks_each,
    classify,
    fallback,
    in_dollars,
    several_prices,
    split_questions,
)
from bot.storage import StoredPost
from bot.symbols import is_demo, symbol_book

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
    if not (match.is_followup_same_intent and match.symbol and match.symbol_supported):
        return None
    if match.timeframe is not None:  # "the one-hour picture for sol": that chart's reading
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


async def _body(service: MarketService, resolution: Resolution, stored: StoredPost | None,
                standalone: bool = True) -> tuple[str, int | None, datetime | None]:
    """The answer body for ``resolution``, the post it came from and its stale as-of time."""
    analysis, post_id, stale_as_of = None, None, cast(datetime | None, None)
    pair = resolution.pair if resolution.intent in PAIR_INTENTS else None
    if pair is not None and resolution.needs_market:
        analyses = {c: (await service.analysed(c)).analysis for c in pair.coins}
        return pair_text(resolution.intent, pair, analyses, service.flavour), None, None
    if resolution.needs_market and stored is not None:
        analysis, post_id = stored.analysis, stored.id
        current = await service.current_as_of(stored.symbol)
        if current is None or current > stored.as_of:
            stale_as_of = stored.as_of
    elif resolution.needs_market:
        market = await service.analysed(resolution.symbol)
        analysis, post_id = market.analysis, market.post_id
    body = answer_question(resolution, analysis, service.flavour,
                           service.settings.symbol_names, standalone=standalone,
                           demo=is_demo(service.settings))
    return body, post_id, stale_as_of


async def _remember(service: MarketService, chat_id: int, resolution: Resolution,
                    previous: ChatContext | None) -> ChatContext | None:
    """Store the chat's context after ``resolution`` (before replying: "and eth?" may follow)."""
    remembered = remember(resolution, previous)
    if remembered is not None and remembered is not previous:
        try:
            await service.storage.save_chat_context(chat_id, remembered.intent,
                                                    remembered.topic, remembered.symbol)
        except StorageError as e:  # the answer goes out; "and eth?" may not follow it
            log.warning("chat context not saved: %s", e)
    return remembered


async def answer(service: MarketService, chat_id: int, resolution: Resolution,
                 stored: StoredPost | None, previous: ChatContext | None,
                 question: str | None = None, opinion: bool = False,
                 understood: str | None = None) -> Answer:
    """Answer ``resolution`` from ``stored`` (else the current snapshot); remember it.

    ``opinion``: the question asked for a trade call; the answer says it is not advice.
    ``understood``: the question was not placed exactly: "price" (the answer says it gives
    the coin's price) or a currency it cannot convert into (it answers in dollars).
    """
    body, post_id, stale_as_of = await _body(service, resolution, stored)
    text = service.text(
        "telegram/answer.j2",
        answer=Markup(body) if service.flavour == "html" else body,
        question=question, as_of=stale_as_of, hint=resolution.intent == UNKNOWN,
        opinion=opinion and resolution.needs_market,
        understood=understood if resolution.needs_market else None, coin=resolution.symbol,
    )
    await _remember(service, chat_id, resolution, previous)
    return Answer(text, post_id, answer_view(resolution.intent, resolution.topic))


def _coin(match: Match, default: str) -> str:
    """The coin a conversational reply points to: the one named if followed, else the chat's."""
    return match.symbol if match.symbol and match.symbol_supported else default


async def _compound(service: MarketService, chat_id: int, parts: list[str],
                    replied: Replied | None, last: ChatContext | None, default: str
                    ) -> Answer:
    """Up to ``MAX_PARTS`` questions of one message, each answered under its question."""
    settings, flavour = service.settings, service.flavour
    answered: list[tuple[str, str]] = []
    previous, post_id, view, opinion = last, None, ANSWER_VIEW, False
    book, named = symbol_book(settings), None
    seen: list[str] = []
    for part in parts[:MAX_PARTS]:
        talk, match = classify(part), match_question(part, settings)
        seen += [c for c in coins_in(part, book) if c not in seen]
        if len(seen) > 1 and match.symbol is None and asks_each(part):  # "price of both?"
            answered.append((part, await service.prices_text(seen)))
            continue
        if match.symbol is None and named is not None:  # "ton price? and the trend?"
            match = replace(match, symbol=named, symbol_supported=book.is_configured(named))
        named = match.symbol or named
        coin = _coin(match, previous.symbol if previous is not None else default)
        if talk is not None and talk.kind != "opinion":
            answered.append((part, talk_text(talk, coin, flavour)))
            continue
        if talk is not None:
            match = replace(match, intent="bias", topic=None, is_followup_same_intent=False)
            opinion = True
        resolution = resolve(match, replied.post if replied else None, previous, default)
        stored = replied.stored if replied and resolution.source == "replied_post" else None
        last_part = part == parts[:MAX_PARTS][-1]
        body, part_post, _ = await _body(service, resolution, stored, standalone=last_part)
        answered.append((part, body))
        if post_id is None and part_post is not None:
            post_id, view = part_post, answer_view(resolution.intent, resolution.topic)
        previous = await _remember(service, chat_id, resolution, previous)
    text = compound_text(answered, parts[MAX_PARTS:], flavour, opinion)
    return Answer(Markup(text) if flavour == "html" else text, post_id, view)


def _asks_more(text: str, service: MarketService) -> bool:
    """True when a message asking for updates also asks a market question ("what is sol
    doing today and can i get a daily btc report?"): each part is answered."""
    for part in split_questions(text, service.settings):
        match = match_question(part, service.settings)
        if (classify(part) is None and match.intent != UNKNOWN
                and not match.is_followup_same_intent):
            return True
    return False


async def converse(service: MarketService, chat_id: int, text: str, replied: Replied | None,
                   last: ChatContext | None, default: str) -> Answer | None:
    """The reply to conversation: several questions at once, small talk, a request the bot
    cannot do (one line and the nearest offer), an opinion (our read, the odds, not advice).

    ``None``: ``text`` is one ordinary question, for the matcher.
    """
    whole = classify(text)
    besides = whole is not None and whole.kind == "subscribe" and _asks_more(text, service)
    if whole is not None and whole.kind in WHOLE_MESSAGE_KINDS and not besides:
        # "twice a day, btc and sol"
        named = coins_in(text, symbol_book(service.settings))
        coin = ",".join(named) if whole.kind == "subscribe" and named else default
        return Answer(talk_text(whole, coin, service.flavour), None, ANSWER_VIEW)
    if whole is not None and whole.kind == "fiat":  # "i have 2 sol, how much in euro?"
        dollars = match_question(in_dollars(text), service.settings)
        if dollars.pair is not None and is_dollar(dollars.pair.quote):  # never "1000 try" as $
            resolution = resolve(dollars, replied.post if replied else None, last, default)
            return await answer(service, chat_id, resolution, None, last,
                                understood=whole.unit)
    parts = split_questions(text, service.settings)
    coins = several_prices(text, parts, service.settings)
    if coins:
        return Answer(await service.prices_text(coins), None, ANSWER_VIEW)
    if len(parts) > 1:
        return await _compound(service, chat_id, parts, replied, last, default)
    talk = whole
    match = match_question(text, service.settings)
    if talk is None and match.intent == UNKNOWN and not match.is_followup_same_intent:
        talk = fallback(text, match)
    if talk is None:
        return None
    if talk.kind in ("nearest", "fiat"):
        book = symbol_book(service.settings)
        asked = next((c for c in coins_in(text, book) if c != talk.unit), None)
        nearest = replace(match, intent="price", topic=None, confidence=0.5, pair=None,
                          symbol=asked,
                          symbol_supported=asked is None or book.is_configured(asked))
        resolution = resolve(nearest, replied.post if replied else None, last, default)
        return await answer(service, chat_id, resolution, None, last,
                            understood=talk.unit or "price")
    if talk.kind != "opinion":
        line = talk_text(talk, _coin(match, default), service.flavour)
        return Answer(line, None, ANSWER_VIEW)
    opinion = replace(match, intent="bias", topic=None, is_followup_same_intent=False)
    resolution = resolve(opinion, replied.post if replied else None, last, default)
    stored = replied.stored if replied and resolution.source == "replied_post" else None
    return await answer(service, chat_id, resolution, stored, last, opinion=True)
