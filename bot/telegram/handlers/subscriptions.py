"""Scheduled digests: /subscribe, /timezone, /subscriptions, /unsubscribe, /pause, /resume.

Thin handlers over :class:`bot.app.subscriptions.SubscriptionDesk`: they check who may change
a chat's digests (administrators, anonymous ones included, in groups), name the destination
(channels subscribe from a channel post; a command in a forum topic subscribes that topic)
and render the desk's reply. Registering this module also adds the start-up hook that
recovers missed deliveries and builds the digest jobs.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.app.digest_runner import DigestRunner
from bot.app.requests import Reply
from bot.app.subscriptions import SubscriptionDesk
from bot.scheduling.keys import ScheduleKey
from bot.telegram.digest_jobs import (
    RUNNER_KEY,
    digest_runner,
    start_digest_jobs,
    sync_digest_jobs,
)
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    SERVICE_KEY,
    STARTUP_HOOKS,
    Context,
    admin_or_refuse,
    destination_of,
    reply,
    service_of,
)
from bot.telegram.services import BotService

TEMPLATE = "telegram/subscriptions.j2"
DESK_KEY = "subscription_desk"


def runner_of(context: Context) -> DigestRunner:
    """The DigestRunner created at start-up."""
    runner = context.bot_data[RUNNER_KEY]
    assert isinstance(runner, DigestRunner)
    return runner


def desk_of(context: Context) -> SubscriptionDesk:
    """The subscription use cases, bound to the runner (its jobs rebuilt after a change)."""
    desk = context.bot_data.get(DESK_KEY)
    if not isinstance(desk, SubscriptionDesk):
        runner = runner_of(context)
        job_queue = context.job_queue
        desk = SubscriptionDesk(runner, service_of(context).symbols,
                                lambda: sync_digest_jobs(runner, job_queue))
        context.bot_data[DESK_KEY] = desk
    return desk


async def _answer(update: Update, context: Context, answer: Reply) -> None:
    await reply(update, service_of(context).text(TEMPLATE, what=answer.what, **answer.values))


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [SYMBOLS] [SCHEDULE]: digests of SYMBOLS on SCHEDULE (config defaults)."""
    if update.effective_chat is None or not await admin_or_refuse(update, context, "subscribe"):
        return
    await _answer(update, context, await desk_of(context).subscribe(
        destination_of(update), context.args or [], update.update_id))


async def timezone(update: Update, context: Context) -> None:
    """/timezone ZONE: the chat's IANA timezone (DST-safe); no argument shows it."""
    if update.effective_chat is None:
        return
    to = destination_of(update)
    if not context.args:
        await _answer(update, context, await desk_of(context).timezone(to.chat_id))
        return
    if not await admin_or_refuse(update, context, "timezone"):
        return
    await _answer(update, context,
                  await desk_of(context).set_timezone(to, " ".join(context.args)))


async def subscriptions(update: Update, context: Context) -> None:
    """/subscriptions: this chat's subscriptions, each with its next run in the chat's zone."""
    if update.effective_chat is None:
        return
    await _answer(update, context,
                  await desk_of(context).subscriptions(destination_of(update).chat_id))


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe [ID|all]: drop one subscription (the only one when no ID) or all."""
    if update.effective_chat is None or not await admin_or_refuse(update, context, "unsubscribe"):
        return
    args = context.args or []
    await _answer(update, context, await desk_of(context).unsubscribe(
        destination_of(update).chat_id, args[0] if args else None))


async def _pause_or_resume(update: Update, context: Context, paused: bool) -> None:
    command = "pause" if paused else "resume"
    if update.effective_chat is None or not await admin_or_refuse(update, context, command):
        return
    await _answer(update, context,
                  await desk_of(context).pause(destination_of(update).chat_id, paused))


async def pause(update: Update, context: Context) -> None:
    """/pause: hold every digest of this chat (kept, resumable)."""
    await _pause_or_resume(update, context, True)


async def resume(update: Update, context: Context) -> None:
    """/resume: deliver this chat's digests again."""
    await _pause_or_resume(update, context, False)


async def start_digests(app: Application) -> None:
    """Start-up hook: create the runner, build the jobs, recover missed deliveries."""
    runner = app.bot_data.get(RUNNER_KEY)
    if not isinstance(runner, DigestRunner):
        runner = digest_runner(app.bot_data[SERVICE_KEY], app.bot)
        app.bot_data[RUNNER_KEY] = runner
    await start_digest_jobs(runner, app.job_queue)


def job_keys(app: Application) -> set[ScheduleKey]:
    """The keys of the digest jobs currently in the app's JobQueue."""
    if app.job_queue is None:
        return set()
    return {job.data for job in app.job_queue.jobs() if isinstance(job.data, ScheduleKey)}


def register_handlers(app: Application, service: BotService) -> None:
    """Register the subscription commands and the start-up hook."""
    for command, callback in (("subscribe", subscribe), ("timezone", timezone),
                              ("subscriptions", subscriptions), ("unsubscribe", unsubscribe),
                              ("pause", pause), ("resume", resume)):
        app.add_handler(CommandHandler(command, callback, filters=NEW_MESSAGES))
    app.bot_data.setdefault(STARTUP_HOOKS, []).append(start_digests)
