"""Scheduled digests: /subscribe, /timezone, /subscriptions, /unsubscribe, /pause, /resume.

In groups and supergroups only administrators (anonymous ones included) change anything;
channels subscribe from a channel post; a command sent in a forum topic subscribes that topic.
Bad input gets a reply and changes nothing stored. Registering this module also adds the
start-up hook that recovers missed deliveries and builds the digest jobs.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.app.digest_runner import DigestRunner
from bot.errors import BadArgumentError, UnknownSymbolError
from bot.scheduling.args import split_schedule_words
from bot.scheduling.keys import ScheduleKey
from bot.scheduling.schedule import parse_schedule
from bot.scheduling.timezones import parse_timezone
from bot.storage.subscriptions import Subscription
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
    reply,
    service_of,
)
from bot.telegram.permissions import is_chat_admin
from bot.telegram.services import BotService

TEMPLATE = "telegram/subscriptions.j2"
LOCK_KEY = "subscription_changes_lock"


def runner_of(context: Context) -> DigestRunner:
    """The DigestRunner created at start-up."""
    runner = context.bot_data[RUNNER_KEY]
    assert isinstance(runner, DigestRunner)
    return runner


async def _say(update: Update, context: Context, what: str, **ctx: Any) -> None:
    await reply(update, service_of(context).text(TEMPLATE, what=what, **ctx))


def _chat(update: Update) -> tuple[int, str, int | None]:
    """(chat id, chat type, forum topic id or None)."""
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None
    thread = message.message_thread_id if message is not None and message.is_topic_message \
        else None
    return chat.id, chat.type, thread


async def _admin_or_say(update: Update, context: Context, command: str) -> bool:
    if await is_chat_admin(update, context):
        return True
    await _say(update, context, "not_admin", command=command)
    return False


async def _listing(context: Context, subs: tuple[Subscription, ...]) -> list[dict[str, Any]]:
    runner = runner_of(context)
    next_runs = runner.next_runs(s for s in subs if not s.paused)
    return [{"sub": s, "next_run": next_runs.get(s.id)} for s in subs]


async def _resync(context: Context) -> None:
    await sync_digest_jobs(runner_of(context), context.job_queue)


def _changes_lock(context: Context) -> asyncio.Lock:
    """The one lock serialising check-then-write subscription changes (a rare command)."""
    lock = context.bot_data.setdefault(LOCK_KEY, asyncio.Lock())
    assert isinstance(lock, asyncio.Lock)
    return lock


def _schedule_like(word: str, service: BotService) -> bool:
    """A word no coin is spelled like: no letter at all, or a digit first ("4h", "8am")."""
    if any(c.isalpha() for c in word) and not word[:1].isdigit():
        return False
    if service.symbols.is_known_coin(word):  # "1inch"
        return False
    try:
        service.symbols.resolve(word)
    except UnknownSymbolError:
        return True
    return False


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [SYMBOLS] [SCHEDULE]: digests of SYMBOLS on SCHEDULE (config defaults)."""
    if update.effective_chat is None or not await _admin_or_say(update, context, "subscribe"):
        return
    service = service_of(context)
    store = service.storage.subscriptions
    chat_id, kind, thread = _chat(update)
    try:
        words, schedule = split_schedule_words(context.args or [])
        stray = [w for w in words if _schedule_like(w, service)]
        if schedule is None and stray:  # "* * *", "0 8 * *", "4h": a schedule, not coins
            parse_schedule(" ".join(words[words.index(stray[0]):]))
        schedule = schedule or parse_schedule(service.settings.schedule.default)
        names = [name for word in words for name in word.split(",") if name]
        symbols = tuple(dict.fromkeys(service.symbols.resolve(name) for name in names))
    except BadArgumentError as e:
        await _say(update, context, "bad_argument", error=e)
        return
    except UnknownSymbolError as e:
        await _say(update, context, "unknown_symbol", symbol=e.symbol, suggestion=e.suggestion,
                   symbols=service.settings.symbol_names)
        return
    symbols = symbols or (service.settings.symbol_names[0],)
    async with _changes_lock(context):  # concurrent /subscribe must not pass the cap together
        existing = await store.of_chat(chat_id)
        same = [s for s in existing if (s.symbols, s.schedule, s.thread_id)
                == (symbols, schedule.text, thread)]
        if same:
            [row] = await _listing(context, (same[0],))
            # the same update handled again after a crash: answer as the first time would
            again = same[0].update_id == update.update_id
            await _say(update, context, "subscribed" if again else "already", entry=row)
            return
        cap = service.settings.schedule.max_subscriptions_per_chat
        if len(existing) >= cap:
            await _say(update, context, "too_many", cap=cap)
            return
        await store.ensure_chat(chat_id, kind)
        sub_id = await store.add(chat_id, thread, symbols, schedule.text,
                                 update_id=update.update_id)
    await _resync(context)
    sub = await store.get(sub_id)
    assert sub is not None
    [row] = await _listing(context, (sub,))
    await _say(update, context, "subscribed", entry=row)


async def timezone(update: Update, context: Context) -> None:
    """/timezone ZONE: the chat's IANA timezone (DST-safe); no argument shows it."""
    if update.effective_chat is None:
        return
    store = service_of(context).storage.subscriptions
    chat_id, kind, _ = _chat(update)
    args = context.args or []
    if not args:
        await _say(update, context, "timezone", zone=await store.timezone(chat_id))
        return
    if not await _admin_or_say(update, context, "timezone"):
        return
    try:
        zone = parse_timezone(" ".join(args))
    except BadArgumentError as e:
        await _say(update, context, "bad_argument", error=e)
        return
    await store.set_timezone(chat_id, kind, zone.key)
    await _resync(context)
    rows = await _listing(context, await store.of_chat(chat_id))
    await _say(update, context, "timezone_set", zone=zone.key, rows=rows)


async def subscriptions(update: Update, context: Context) -> None:
    """/subscriptions: this chat's subscriptions, each with its next run in the chat's zone."""
    if update.effective_chat is None:
        return
    store = service_of(context).storage.subscriptions
    chat_id, _, _ = _chat(update)
    rows = await _listing(context, await store.of_chat(chat_id))
    await _say(update, context, "list", rows=rows, zone=await store.timezone(chat_id))


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe [ID|all]: drop one subscription (the only one when no ID) or all."""
    if update.effective_chat is None or not await _admin_or_say(update, context, "unsubscribe"):
        return
    store = service_of(context).storage.subscriptions
    chat_id, _, _ = _chat(update)
    subs = await store.of_chat(chat_id)
    args = context.args or []
    if not subs:
        await _say(update, context, "none")
        return
    if args and args[0].lower() == "all":
        removed = await store.remove(chat_id)
        await _resync(context)
        await _say(update, context, "unsubscribed_all", count=removed)
        return
    if not args and len(subs) > 1:
        await _say(update, context, "which", rows=await _listing(context, subs))
        return
    wanted = args[0].lstrip("#") if args else str(subs[0].id)
    number = int(wanted) if wanted.isdecimal() and len(wanted) <= 18 else None  # no 5000 digits
    match = [s for s in subs if s.id == number]
    if not match:
        await _say(update, context, "unknown_id", value=args[0], ids=[s.id for s in subs])
        return
    await store.remove(chat_id, match[0].id)
    await _resync(context)
    await _say(update, context, "unsubscribed", sub=match[0])


async def _pause_or_resume(update: Update, context: Context, paused: bool) -> None:
    command = "pause" if paused else "resume"
    if update.effective_chat is None or not await _admin_or_say(update, context, command):
        return
    store = service_of(context).storage.subscriptions
    chat_id, _, _ = _chat(update)
    subs = await store.of_chat(chat_id)
    if not subs:
        await _say(update, context, "none")
        return
    if all(s.paused == paused for s in subs):
        await _say(update, context, "already_paused" if paused else "already_running",
                   rows=await _listing(context, subs))
        return
    await store.pause_chat(chat_id, "paused" if paused else None)
    await _resync(context)
    rows = await _listing(context, await store.of_chat(chat_id))
    await _say(update, context, "paused" if paused else "resumed", rows=rows)


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
