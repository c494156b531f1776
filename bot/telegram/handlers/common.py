"""Helpers every handler module shares: the service, replies, heavy-work guard."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes, filters

from bot.app.requests import Destination, Reply
from bot.app.service import UNSTORED_POST, Post
from bot.app.views import View
from bot.errors import StorageError
from bot.telegram.flood import Verdict
from bot.telegram.permissions import is_chat_admin
from bot.telegram.services import BotService

log = logging.getLogger(__name__)
Desk = TypeVar("Desk")
Context = ContextTypes.DEFAULT_TYPE
SERVICE_KEY = "market_service"
#: ``bot_data`` key of a list of ``async (app) -> None`` that ``start_up`` runs (features).
STARTUP_HOOKS = "startup_hooks"
#: A reply not sent by then shows "typing…" (one from memory is sent sooner and shows none).
TYPING_AFTER_SECONDS = 0.2


def service_of(context: Context) -> BotService:
    """The BotService stored in ``bot_data`` by ``build_application``."""
    service = context.bot_data[SERVICE_KEY]
    assert isinstance(service, BotService)
    return service


def sender_id(update: Update) -> int:
    """Who to rate-limit: the user, else the chat (channel posts, anonymous admins)."""
    if update.effective_user is not None and not update.effective_user.is_bot:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat else 0


def is_group(update: Update) -> bool:
    """Whether the update comes from a group or supergroup."""
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def reply(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None
                ) -> Message | None:
    """Answer the update's message with ``text`` (nothing when there is no message)."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(text, reply_markup=keyboard)


def desk_in(context: Context, key: str, kind: type[Desk],
            make: Callable[[BotService], Desk]) -> Desk:
    """The use-case desk kept in ``bot_data[key]`` (made from the service on first use)."""
    desk = context.bot_data.get(key)
    if not isinstance(desk, kind):
        desk = make(service_of(context))
        context.bot_data[key] = desk
    return desk


async def answer_with(update: Update, context: Context, template: str, answer: Reply) -> None:
    """Reply with ``answer`` rendered by ``template`` (its code as ``what``)."""
    await reply(update, service_of(context).text(template, what=answer.what, **answer.values))


async def send_post(update: Update, context: Context, post: Post) -> list[Message]:
    """Send a post's parts (buttons under the last) and link each to the stored post."""
    service = service_of(context)
    keyboard = service.keyboard(post)
    sent: list[Message] = []
    for index, text in enumerate(post.messages):
        last = index == len(post.messages) - 1
        message = await reply(update, text, keyboard if last else None)
        if message is not None:
            sent.append(message)
            await link_message(service, message.chat_id, message.message_id, post.post_id,
                               part=index, view=post.view)
    return sent


async def link_message(service: BotService, chat_id: int, message_id: int, post_id: int,
                       *, part: int = 0, view: str) -> None:
    """Remember which post a sent message shows; a storage fault costs only its buttons."""
    if post_id == UNSTORED_POST:
        return
    try:
        await service.storage.link_message(chat_id, message_id, post_id, part=part, view=view)
    except StorageError as e:
        log.warning("message %d sent but not linked to its post: %s", message_id, e)


@asynccontextmanager
async def heavy_work(update: Update, context: Context, action: str = ChatAction.TYPING
                     ) -> AsyncIterator[bool]:
    """Guard slow work: heavy replies in flight per user, and the typing action.

    Yields ``False`` when the user has too many in flight (the block must do nothing). The
    request rate is checked once for every request, in the gate. The typing action is sent
    only when the block is still busy after ``TYPING_AFTER_SECONDS`` (a reply read from
    memory goes out without a round trip before it).
    """
    service = service_of(context)
    user = sender_id(update)
    async with service.flood.heavy(user) as verdict:
        if verdict is not Verdict.GO:
            if verdict is Verdict.WARN:
                await reply(update, service.error_text("flood"))
            yield False
            return
        chat = update.effective_chat
        waiting = asyncio.Event()
        hint = (asyncio.create_task(_chat_action_after(context, chat.id, action, waiting))
                if chat is not None else None)
        try:
            yield True
        finally:
            if hint is not None and not waiting.is_set():
                hint.cancel()  # still in its pause: nothing was sent
                with contextlib.suppress(asyncio.CancelledError):
                    await hint


async def _chat_action_after(context: Context, chat_id: int, action: str,
                             started: asyncio.Event) -> None:
    """Send ``action`` to ``chat_id`` after ``TYPING_AFTER_SECONDS`` (``started`` once sent)."""
    await asyncio.sleep(TYPING_AFTER_SECONDS)
    started.set()
    try:
        await context.bot.send_chat_action(chat_id, action)
    except TelegramError as e:  # the typing hint is cosmetic
        log.debug("chat action failed: %s", e)


def command_of(update: Update) -> str:
    """The command an update's message runs ("ask" for plain text and button taps)."""
    message = update.effective_message
    text = (message.text or "") if message is not None and update.callback_query is None else ""
    if not text.startswith("/"):
        return "ask"
    return text.split()[0].lstrip("/").split("@")[0].lower()


async def post_view(update: Update, context: Context, symbol: str, view: View) -> None:
    """Produce and send ``view`` of ``symbol`` (the body of every market command)."""
    service = service_of(context)
    chat_id = update.effective_chat.id if update.effective_chat else 0
    async with heavy_work(update, context) as go:
        if not go:
            return
        post = await service.post(symbol, view, chat_id=chat_id)
        await send_post(update, context, post)


def first_symbol(args: Sequence[str], default: str) -> str:
    """The first argument, or ``default``."""
    return args[0] if args else default


#: New messages and channel posts (edited ones are ignored everywhere).
NEW_MESSAGES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


def addressed_to_bot(message: Message, username: str, bot_id: int) -> bool:
    """Private chat, a mention of the bot, or a reply to one of the bot's messages."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    text = (message.text or message.caption or "").lower()
    if username and f"@{username.lower()}" in text:
        return True
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and (
        replied.from_user.id == bot_id
    )


def without_mention(text: str, username: str) -> str:
    """``text`` without ``@username`` (how group members address the bot)."""
    if not username:
        return text.strip()
    return re.sub(re.escape(f"@{username}"), " ", text, flags=re.IGNORECASE).strip()


def addressed_text(update: Update, context: Context) -> str | None:
    """The text of a message meant for the bot, without its mention (``None``: not addressed
    — a group message that neither mentions nor replies to the bot, or a channel post)."""
    message = update.effective_message
    if message is None or message.chat.type == ChatType.CHANNEL or not message.text:
        return None
    username = context.bot.username or ""
    if not addressed_to_bot(message, username, context.bot.id):
        return None
    return without_mention(message.text, username)


def destination_of(update: Update) -> Destination:
    """The chat (and forum topic) an update came from."""
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None
    thread = message.message_thread_id if message is not None and message.is_topic_message \
        else None
    return Destination(chat.id, chat.type, thread)


async def admin_or_refuse(update: Update, context: Context, command: str) -> bool:
    """Whether the sender may change this chat's settings; if not, say so and return False."""
    if await is_chat_admin(update, context):
        return True
    await reply(update, service_of(context).error_text("not_admin", command=command))
    return False
