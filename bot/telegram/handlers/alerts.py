"""Price alerts: /alert, /alerts, /unalert, and alerts asked for in plain words.

Thin handlers over :class:`bot.app.alerts.AlertDesk`: in groups only administrators set or
delete alerts (anyone may list them); a command in a forum topic alerts that topic. A text
such as "ping me if btc drops below 70k" (in groups: addressed to the bot) is answered with
what it would set and a confirmation button (``al:…`` callback data); the tap creates it.
This module registers before ``followup``, so such texts never reach the question answerer.
Registering it adds the start-up hook that creates the round and its job.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.alerts.phrases import (
    POST_PREFIX,
    PREFIX,
    parse_phrase,
    parse_request_data,
    request_data,
)
from bot.alerts.rules import AlertRequest
from bot.app.alert_round import AlertRound
from bot.app.alerts import AlertDesk
from bot.app.requests import Destination, Reply
from bot.app.views import PostButtons
from bot.telegram.alert_jobs import ROUND_KEY, alert_round, start_alert_job
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    SERVICE_KEY,
    STARTUP_HOOKS,
    Context,
    addressed_text,
    admin_or_refuse,
    answer_with,
    desk_in,
    destination_of,
    reply,
    service_of,
)
from bot.telegram.permissions import is_chat_admin
from bot.telegram.services import BotService

TEMPLATE = "telegram/alerts.j2"
DESK_KEY = "alert_desk"


def desk_of(context: Context) -> AlertDesk:
    """The alert use cases (created on first use)."""
    return desk_in(context, DESK_KEY, AlertDesk, AlertDesk)


async def _answer(update: Update, context: Context, answer: Reply) -> None:
    await answer_with(update, context, TEMPLATE, answer)


async def alert(update: Update, context: Context) -> None:
    """/alert COIN [above|below] LEVEL | COIN PCT% [for 24h]: a price alert for this chat."""
    if update.effective_chat is None or not await admin_or_refuse(update, context, "alert"):
        return
    await _answer(update, context, await desk_of(context).create(
        destination_of(update), context.args or [], update.update_id))


async def alerts(update: Update, context: Context) -> None:
    """/alerts: this chat's alerts."""
    if update.effective_chat is None:
        return
    await _answer(update, context, await desk_of(context).alerts(update.effective_chat.id))


async def unalert(update: Update, context: Context) -> None:
    """/unalert [ID|all]: delete one alert (the only one when no ID) or all."""
    if update.effective_chat is None or not await admin_or_refuse(update, context, "unalert"):
        return
    args = context.args or []
    await _answer(update, context, await desk_of(context).delete(
        update.effective_chat.id, args[0] if args else None))


class _AlertPhrase(filters.MessageFilter):
    """Texts asking for an alert in plain words (mentions of the bot aside)."""

    def filter(self, message: Message) -> bool:
        text = message.text or ""
        return bool(text) and parse_phrase(re.sub(r"@\w+", " ", text)) is not None


async def on_phrase(update: Update, context: Context) -> None:
    """"ping me if btc drops below 70k": what it would set, with a button to confirm."""
    message = update.effective_message
    text = addressed_text(update, context)
    request = parse_phrase(text) if text is not None else None
    if message is None or request is None:
        return
    answer = await desk_of(context).preview(message.chat_id, request)
    data = request_data(request)
    keyboard = None
    if answer.what == "confirm" and data is not None:
        label = service_of(context).text(TEMPLATE, flavour="text", what="confirm_button",
                                         **answer.values)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
    await reply(update, service_of(context).text(TEMPLATE, what=answer.what, **answer.values),
                keyboard)


def alert_rows(service: BotService) -> Callable[[PostButtons], list[list[InlineKeyboardButton]]]:
    """The "🔔 Alert me" row under posts that name levels (one button per level)."""
    def rows(post: PostButtons) -> list[list[InlineKeyboardButton]]:
        buttons = []
        for name, price in post.levels:
            data = request_data(AlertRequest(post.symbol.lower(), "near", price), POST_PREFIX)
            if data is not None and post.symbol:
                label = service.text(TEMPLATE, flavour="text", what="level_button",
                                     level_name=name, level=price)
                buttons.append(InlineKeyboardButton(label, callback_data=data))
        return [buttons] if buttons else []

    return rows


async def on_confirm(update: Update, context: Context) -> None:
    """A tap on a confirmation button (the message is edited to say what was set) or on a
    post's level button (the post stays; the answer is a new message). In groups the alert
    is the tapping user's own, delivered privately (see :func:`_personal`)."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None:
        return
    service = service_of(context)
    request = parse_request_data(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if request is None or message is None:
        await query.answer(service.error_text("stale_button", flavour="text"))
        return
    if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        await _personal(update, context, request)
        return
    if not await is_chat_admin(update, context):
        await query.answer(service.error_text("not_admin", flavour="text", command="alert"))
        return
    await query.answer()
    answer = await desk_of(context).create_request(destination_of(update), request,
                                                   update.update_id)
    text = service.text(TEMPLATE, what=answer.what, **answer.values)
    if (query.data or "").startswith(POST_PREFIX):
        await message.reply_text(text)
    else:
        await query.edit_message_text(text)


async def _personal(update: Update, context: Context, request: AlertRequest) -> None:
    """A tap in a group: the alert goes to the user's private chat with the bot. A user who
    never started the bot cannot be written to first: the alert is not kept and a toast
    says how to start the bot."""
    query, user = update.callback_query, update.effective_user
    assert query is not None
    service = service_of(context)
    if user is None or user.is_bot:
        await query.answer(service.error_text("stale_button", flavour="text"))
        return
    desk = desk_of(context)
    answer = await desk.create_request(Destination(user.id, "private"), request,
                                       update.update_id)
    try:
        await context.bot.send_message(user.id, service.text(TEMPLATE, what=answer.what,
                                                             **answer.values))
    except (Forbidden, BadRequest) as e:
        if isinstance(e, BadRequest) and "chat not found" not in e.message.lower():
            raise
        if answer.what == "created":
            await desk.store.remove(user.id, answer.values["alert"].id)
        await query.answer(service.text(TEMPLATE, flavour="text", what="start_first",
                                        bot=context.bot.username or ""), show_alert=True)
        return
    await query.answer(service.text(TEMPLATE, flavour="text", what="sent_privately",
                                    answer=answer.what))


async def start_alerts(app: Application) -> None:
    """Start-up hook: create the round and its repeating job."""
    round_ = app.bot_data.get(ROUND_KEY)
    if not isinstance(round_, AlertRound):
        round_ = alert_round(app.bot_data[SERVICE_KEY], app.bot)
        app.bot_data[ROUND_KEY] = round_
    start_alert_job(round_, app.job_queue)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the alert commands and the start-up hook."""
    for command, callback in (("alert", alert), ("alerts", alerts), ("unalert", unalert)):
        app.add_handler(CommandHandler(command, callback, filters=NEW_MESSAGES))
    app.add_handler(MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND
                                   & _AlertPhrase(), on_phrase))
    app.add_handler(CallbackQueryHandler(on_confirm, pattern=f"^({PREFIX}|{POST_PREFIX})"))
    service.button_rows.append(alert_rows(service))
    app.bot_data.setdefault(STARTUP_HOOKS, []).append(start_alerts)
