"""Inline buttons under posts: refresh a post in place, or send a chart of its symbol."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.app.errors import failure_reply
from bot.app.service import Post
from bot.storage import PostMessage
from bot.telegram.handlers.common import (
    Context,
    heavy_work,
    link_message,
    sender_id,
    service_of,
)
from bot.telegram.handlers.market import send_chart
from bot.telegram.keyboards import parse_callback
from bot.telegram.services import BotService

log = logging.getLogger(__name__)


def _not_modified(error: BadRequest) -> bool:
    return "not modified" in error.message.lower()


async def on_button(update: Update, context: Context) -> None:
    """Any tap on one of our inline buttons (answered once, with a toast when useful)."""
    query = update.callback_query
    if query is None:
        return
    service = service_of(context)
    action = parse_callback(query.data)
    stored = await service.stored(action.post_id) if action else None
    message = query.message if isinstance(query.message, Message) else None
    if action is None or stored is None or message is None:
        await query.answer(service.error_text("stale_button", flavour="text"), show_alert=False)
        return
    if service.flood.in_flight(sender_id(update)) >= service.flood.max_in_flight:
        await query.answer(service.error_text("flood", flavour="text"))
        return
    if action.kind == "chart" and action.timeframe is not None:
        await query.answer()
        await send_chart(update, context, stored.symbol, action.timeframe)
        return
    async with heavy_work(update, context) as go:
        if not go or action.view is None:
            await query.answer()
            return
        try:
            post = await service.post(stored.symbol, action.view, chat_id=message.chat_id)
        except Exception as e:  # the error handler replies; the tap still gets its answer
            if failure_reply(e).expected:
                await query.answer()
            raise
        ids = copy_of(await service.storage.messages_of_post(message.chat_id, action.post_id),
                      message.message_id, action.view)
        unchanged = post.post_id == action.post_id and len(ids) == len(post.messages)
        await query.answer(service.text("telegram/refresh.j2", flavour="text",
                                        as_of=post.as_of) if unchanged else None)
        await _refresh(context, post, message, ids)


def copy_of(links: Sequence[PostMessage], tapped: int, view: str) -> list[int]:
    """Message ids, in part order, of the copy of a post whose last part was tapped.

    A chat can show one post several times; a copy's parts were sent one after another, so
    each earlier part is the newest message of that part sent before the tapped one.
    """
    mine = next((link for link in links if link.message_id == tapped), None)
    if mine is None or mine.view != view:
        return [tapped]
    ids: list[int] = []
    for part in range(mine.part + 1):
        earlier = [link.message_id for link in links
                   if link.part == part and link.view == view and link.message_id <= tapped]
        if not earlier:
            return [tapped]
        ids.append(max(earlier))
    return ids


async def _refresh(context: Context, post: Post, message: Message, ids: Sequence[int]) -> None:
    """Edit the shown parts in place; send parts the post gained, delete those it lost."""
    service = service_of(context)
    keyboard = service.keyboard(post)
    chat_id = message.chat_id
    for index, text in enumerate(post.messages):
        markup = keyboard if index == len(post.messages) - 1 else None
        if index < len(ids):
            await _edit(context, chat_id, ids[index], text, markup)
            message_id = ids[index]
        else:
            sent = await message.reply_text(text, reply_markup=markup, do_quote=False)
            message_id = sent.message_id
        await link_message(service, chat_id, message_id, post.post_id, part=index,
                           view=post.view)
    for message_id in ids[len(post.messages):]:
        try:
            await context.bot.delete_message(chat_id, message_id)
        except BadRequest as e:  # too old to delete (48 h in groups): leave it be
            log.info("part %d of a refreshed post not deleted: %s", message_id, e.message)


async def _edit(context: Context, chat_id: int, message_id: int, text: str,
                markup: InlineKeyboardMarkup | None) -> None:
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                            reply_markup=markup)
    except BadRequest as e:
        if not _not_modified(e):
            raise


def register_handlers(app: Application, service: BotService) -> None:
    """Register the callback-query handler for our buttons."""
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^[rc]:"))
