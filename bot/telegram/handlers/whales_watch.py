"""The whale watcher: /whalewatch (watched addresses) and /whalealerts (the chat's opt-in).

Thin handlers over :class:`bot.app.whale_desk.WhaleDesk`: in groups only administrators
change the watch list or the opt-in (anyone may list them); a command in a forum topic
sends the feed to that topic. Registering the module adds the start-up hook that creates the
watcher (sharing the alert round's delivery) and its repeating job.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.app.alert_round import AlertRound
from bot.app.requests import Reply
from bot.app.whale_desk import WhaleDesk
from bot.app.whale_round import WhaleWatcher
from bot.telegram.alert_jobs import (
    ROUND_KEY,
    WATCHER_KEY,
    alert_round,
    start_whale_job,
    whale_watcher,
)
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    SERVICE_KEY,
    STARTUP_HOOKS,
    Context,
    admin_or_refuse,
    answer_with,
    desk_in,
    destination_of,
)
from bot.telegram.services import BotService

TEMPLATE = "telegram/whales.j2"
DESK_KEY = "whale_desk"


def desk_of(context: Context) -> WhaleDesk:
    """The whale use cases (created on first use)."""
    return desk_in(context, DESK_KEY, WhaleDesk, WhaleDesk)


async def _answer(update: Update, context: Context, answer: Reply) -> None:
    await answer_with(update, context, TEMPLATE, answer)


async def whalewatch(update: Update, context: Context) -> None:
    """/whalewatch [add ADDRESS [label] | remove ADDRESS]: the chat's watched addresses."""
    args = context.args or []
    if update.effective_chat is None or (
            args and not await admin_or_refuse(update, context, "whalewatch")):
        return
    await _answer(update, context, await desk_of(context).watch(destination_of(update), args))


async def whalealerts(update: Update, context: Context) -> None:
    """/whalealerts [on [min USD] | off]: whale moves pushed to this chat."""
    args = context.args or []
    if update.effective_chat is None or (
            args and not await admin_or_refuse(update, context, "whalealerts")):
        return
    await _answer(update, context, await desk_of(context).alerts(destination_of(update), args))


async def start_whales(app: Application) -> None:
    """Start-up hook: the watcher (on the alert round's delivery) and its job."""
    round_ = app.bot_data.get(ROUND_KEY)
    if not isinstance(round_, AlertRound):
        round_ = alert_round(app.bot_data[SERVICE_KEY], app.bot)
        app.bot_data[ROUND_KEY] = round_
    watcher = app.bot_data.get(WATCHER_KEY)
    if not isinstance(watcher, WhaleWatcher):
        watcher = whale_watcher(round_)
        app.bot_data[WATCHER_KEY] = watcher
    start_whale_job(watcher, app.job_queue)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the whale commands and the start-up hook."""
    for command, callback in (("whalewatch", whalewatch), ("whalealerts", whalealerts)):
        app.add_handler(CommandHandler(command, callback, filters=NEW_MESSAGES))
    app.bot_data.setdefault(STARTUP_HOOKS, []).append(start_whales)
