"""Follow-up questions in chats: ``/ask``, replies to the bot's posts, plain questions, taps.

The answering is ``bot.app.questions``'s; here: who is addressed (in groups only replies to
the bot and mentions are answered, small talk too: "gm" to the group gets silence), which
bot message a question replies to, the related-question buttons under posts (post id and
intent in the callback data, so a tap answers from the stored post, also after a restart)
and sending the answer.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.app.questions import (
    Answer,
    answer,
    chat_context,
    converse,
    repeated_view,
    replied_post,
)
from bot.app.views import PostButtons
from bot.commentary.related import MAX_RELATED, related_questions
from bot.commentary.telegram_html import split_message
from bot.commentary.views import build_view
from bot.qa.context import ChatContext, Resolution, resolve
from bot.qa.intents import INTENTS
from bot.qa.match import match_question
from bot.storage import StoredPost
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    Context,
    addressed_text,
    heavy_work,
    link_message,
    post_view,
    service_of,
)
from bot.telegram.keyboards import parse_question, question_data
from bot.telegram.services import BotService

log = logging.getLogger(__name__)
#: What an empty ``/ask`` asks.
EMPTY_ASK = "help"


def related_rows(post: PostButtons) -> list[list[InlineKeyboardButton]]:
    """One button per related question of ``post`` (at most ``MAX_RELATED``)."""
    return [
        [InlineKeyboardButton(q.question, callback_data=question_data(post.post_id, q.intent,
                                                                      q.topic))]
        for q in post.related[:MAX_RELATED]
    ]


async def answer_text(update: Update, context: Context, text: str) -> None:
    """Answer the question ``text`` of the update's message in its chat context."""
    service = service_of(context)
    message = update.effective_message
    if message is None:
        return
    origin = message.reply_to_message
    replied = (await replied_post(service, message.chat_id, origin.message_id)
               if origin is not None and origin.from_user is not None
               and origin.from_user.id == context.bot.id else None)
    last, default = await chat_context(service, message.chat_id)
    async with heavy_work(update, context) as go:  # several answers may need the market
        if not go:
            return
        talk = await converse(service, message.chat_id, text, replied, last, default)
        if talk is not None:
            await send_answer(update, context, talk)
            return
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
        reply = await answer(service, message.chat_id, resolution, stored, previous,
                             question)
        await send_answer(update, context, reply)


async def send_answer(update: Update, context: Context, reply: Answer) -> None:
    """Send ``reply`` (split when long), each message linked to the post it answers from."""
    service = service_of(context)
    message = update.effective_message
    if message is None:
        return
    for part, chunk in enumerate(split_message(reply.text, service.flavour)):
        sent = await message.reply_text(chunk)
        if reply.post_id is not None:
            await link_message(service, sent.chat_id, sent.message_id, reply.post_id,
                               part=part, view=reply.view)


async def ask(update: Update, context: Context) -> None:
    """/ask QUESTION: answered in any chat (an empty /ask lists what can be asked)."""
    question = " ".join(context.args or []) or EMPTY_ASK
    await answer_text(update, context, question)


async def on_text(update: Update, context: Context) -> None:
    """Plain text: in private chats always, in groups only when addressed to the bot."""
    text = addressed_text(update, context)
    if text is not None:
        await answer_text(update, context, text or EMPTY_ASK)


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
