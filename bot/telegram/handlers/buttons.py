"""Inline buttons under posts: refresh a post in place, or send a chart of its symbol."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler

from bot.app.service import Post
from bot.telegram.handlers.common import (
    Context,
    heavy_work,
    link_message,
    sender_id,
    service_of,
)
from bot.telegram.handlers.market import send_chart
from bot.telegram.keyboards import ButtonAction, parse_callback
from bot.telegram.services import BotService

log = logging.getLogger(__name__)


def _not_modified(error: BadRequest) -> bool:
    return "not modified" in error.message.lower()


async def on_button(update: Update, context: Context) -> None:
    """Any tap on one of our inline buttons (answered first, then acted upon)."""
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
    await query.answer()
    if action.kind == "chart" and action.timeframe is not None:
        await send_chart(update, context, stored.symbol, action.timeframe)
        return
    async with heavy_work(update, context) as go:
        if go:
            await _refresh(update, context, action, stored.symbol, message)


async def _refresh(update: Update, context: Context, action: ButtonAction, symbol: str,
                   message: Message) -> None:
    service = service_of(context)
    if action.view is None:
        return
    post = await service.post(symbol, action.view, chat_id=message.chat_id)
    parts = await service.storage.messages_of_post(message.chat_id, action.post_id)
    ids = [p.message_id for p in parts if p.view == action.view]
    if message.message_id not in ids:
        ids = [message.message_id]
    if len(ids) != len(post.messages):
        await _send_fresh(message, context, post)
        return
    keyboard = service.keyboard(post)
    for index, (message_id, text) in enumerate(zip(ids, post.messages, strict=True)):
        last = index == len(ids) - 1
        try:
            await context.bot.edit_message_text(text, chat_id=message.chat_id,
                                                message_id=message_id,
                                                reply_markup=keyboard if last else None)
        except BadRequest as e:
            if not _not_modified(e):
                raise
        await link_message(service, message.chat_id, message_id, post.post_id, part=index,
                           view=post.view)


async def _send_fresh(message: Message, context: Context, post: Post) -> None:
    """The refreshed post has a different number of parts: send it anew."""
    service = service_of(context)
    keyboard = service.keyboard(post)
    for index, text in enumerate(post.messages):
        last = index == len(post.messages) - 1
        sent = await message.reply_text(text, reply_markup=keyboard if last else None)
        await link_message(service, sent.chat_id, sent.message_id, post.post_id, part=index,
                           view=post.view)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the callback-query handler for our buttons."""
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^[rc]:"))
