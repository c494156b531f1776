"""Follow-up questions in chats: ``/ask``, replies to the bot's posts, plain questions, taps.

Every question goes through ``bot.qa``: matched, resolved against the replied-to post and
the chat's last question (kept in ``chat_context``, so it survives a restart), then answered
from the right analysis — the replied post's stored one (with its as-of time when it is no
longer current) or the current snapshot. Related-question buttons under posts carry the
post id and the intent, so a tap answers from the stored post, also after a restart.
In groups only replies to the bot and mentions are answered.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import cast

from markupsafe import Markup
from telegram import InlineKeyboardButton, Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.app.service import Post
from bot.app.views import VIEWS, View
from bot.commentary.related import MAX_RELATED, related_questions
from bot.commentary.telegram_html import split_message
from bot.commentary.views import build_view
from bot.errors import StorageError
from bot.qa.answer import answer_question
from bot.qa.context import ChatContext, RepliedPost, Resolution, remember, resolve
from bot.qa.intents import INTENTS, UNKNOWN
from bot.qa.match import Match, match_question
from bot.storage import StoredPost
from bot.telegram.handlers.chatter import addressed_to_bot
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    Context,
    heavy_work,
    link_message,
    post_view,
    service_of,
)
from bot.telegram.keyboards import parse_question, question_data
from bot.telegram.services import BotService

log = logging.getLogger(__name__)
#: ``post_messages.view`` prefix of an answer message: ``answer:<intent>[:<topic>]``.
ANSWER_VIEW = "answer"
QUICK: View = "quick"
#: What an empty ``/ask`` asks.
EMPTY_ASK = "help"


def answer_view(intent: str, topic: str | None) -> str:
    """The view an answer message is linked under (keeps its intent for replies to it)."""
    return ":".join(p for p in (ANSWER_VIEW, intent, topic) if p)


def parse_answer_view(view: str) -> tuple[str, str | None] | None:
    """(intent, topic) of an answer message's view, ``None`` for posts and charts."""
    parts = view.split(":")
    if len(parts) < 2 or parts[0] != ANSWER_VIEW:
        return None
    return parts[1], (parts[2] if len(parts) > 2 else None)


def related_rows(post: Post) -> list[list[InlineKeyboardButton]]:
    """One button per related question of ``post`` (at most ``MAX_RELATED``)."""
    return [
        [InlineKeyboardButton(q.question, callback_data=question_data(post.post_id, q.intent,
                                                                      q.topic))]
        for q in post.related[:MAX_RELATED]
    ]


def without_mention(text: str, username: str) -> str:
    """``text`` without ``@username`` (how group members address the bot)."""
    if not username:
        return text.strip()
    return re.sub(re.escape(f"@{username}"), " ", text, flags=re.IGNORECASE).strip()


@dataclass(frozen=True, slots=True)
class Replied:
    """The bot message a question replies to: the post it shows and how it shows it."""

    post: RepliedPost
    stored: StoredPost
    view: str


async def _replied(service: BotService, message: Message, bot_id: int) -> Replied | None:
    """The stored post behind the bot message ``message`` replies to, if any."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return None
    link = await service.storage.message(message.chat_id, replied.message_id)
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
    if replied is not None and replied.post.intent is None:
        return cast(View, replied.view) if replied.view in VIEWS else QUICK
    return QUICK if replied is None and last is None else None


async def chat_context(service: BotService, chat_id: int) -> tuple[ChatContext | None, str]:
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


async def answer_text(update: Update, context: Context, text: str) -> None:
    """Answer the question ``text`` of the update's message in its chat context."""
    service = service_of(context)
    message = update.effective_message
    if message is None:
        return
    replied = await _replied(service, message, context.bot.id)
    last, default = await chat_context(service, message.chat_id)
    match = match_question(text, service.settings)
    view = repeated_view(match, replied, last)
    if view is not None and match.symbol is not None:
        await post_view(update, context, match.symbol, view)
        return
    resolution = resolve(match, replied.post if replied else None, last, default)
    from_post = replied.stored if replied and resolution.source == "replied_post" else None
    await answer_resolution(update, context, resolution, from_post, last)


async def answer_resolution(
    update: Update,
    context: Context,
    resolution: Resolution,
    stored: StoredPost | None,
    previous: ChatContext | None,
    question: str | None = None,
) -> None:
    """Answer ``resolution`` from ``stored`` (else the current snapshot) and remember it."""
    service = service_of(context)
    message = update.effective_message
    if message is None:
        return
    async with heavy_work(update, context) as go:
        if not go:
            return
        analysis, post_id, stale_as_of = None, None, None
        if resolution.needs_market and stored is not None:
            analysis, post_id = stored.analysis, stored.id
            current = await service.current_as_of(stored.symbol)
            if current is None or current > stored.as_of:
                stale_as_of = stored.as_of
        elif resolution.needs_market:
            market = await service.analysed(resolution.symbol)
            analysis, post_id = market.analysis, market.post_id
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
                await service.storage.save_chat_context(message.chat_id, remembered.intent,
                                                        remembered.topic, remembered.symbol)
            except StorageError as e:  # the answer goes out; "and eth?" may not follow it
                log.warning("chat context not saved: %s", e)
        for part, chunk in enumerate(split_message(text, service.flavour)):
            sent = await message.reply_text(chunk)
            if post_id is not None:
                await link_message(service, sent.chat_id, sent.message_id, post_id, part=part,
                                   view=answer_view(resolution.intent, resolution.topic))


async def ask(update: Update, context: Context) -> None:
    """/ask QUESTION: answered in any chat (an empty /ask lists what can be asked)."""
    question = " ".join(context.args or []) or EMPTY_ASK
    await answer_text(update, context, question)


async def on_text(update: Update, context: Context) -> None:
    """Plain text: in private chats always, in groups only when addressed to the bot."""
    message = update.effective_message
    if message is None or message.chat.type == ChatType.CHANNEL or not message.text:
        return
    username = context.bot.username or ""
    if not addressed_to_bot(message, username, context.bot.id):
        return
    await answer_text(update, context, without_mention(message.text, username) or EMPTY_ASK)


def tapped_question(message: Message, data: str, stored: StoredPost, intent: str) -> str | None:
    """The wording of the tapped question: its button's label, else the post's own question."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    label = next((b.text for row in rows for b in row if b.callback_data == data), None)
    if label is not None:
        return label
    related = related_questions(build_view(stored.analysis), "text")
    return next((q.question for q in related if q.intent == intent), None)


async def on_question_tap(update: Update, context: Context) -> None:
    """A tap on a related question: answered from the stored post under which it sits."""
    query = update.callback_query
    if query is None:
        return
    service = service_of(context)
    tap = parse_question(query.data)
    stored = await service.stored(tap.post_id) if tap is not None else None
    message = query.message if isinstance(query.message, Message) else None
    if tap is None or stored is None or message is None or tap.intent not in INTENTS:
        await query.answer(service.error_text("stale_button", flavour="text"))
        return
    await query.answer()
    resolution = Resolution(tap.intent, tap.topic, stored.symbol, "replied_post",
                            as_of=stored.as_of)
    previous, _ = await chat_context(service, message.chat_id)
    await answer_resolution(update, context, resolution, stored, previous,
                            question=tapped_question(message, query.data or "", stored,
                                                     tap.intent))


def register_handlers(app: Application, service: BotService) -> None:
    """Register /ask, plain questions and related-question taps; add the buttons."""
    if related_rows not in service.button_rows:
        service.button_rows.append(related_rows)
    app.add_handler(CommandHandler("ask", ask, filters=NEW_MESSAGES))
    app.add_handler(MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(CallbackQueryHandler(on_question_tap, pattern=r"^q:"))
