"""The one place the python-telegram-bot Application is built and run.

``build_application`` wires settings, the market source and storage into a PTB
``Application``: HTML parse mode, concurrent updates, every handler module, the
command menu at start. ``run_bot`` polls, or serves a webhook with a secret token.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib.util
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import timedelta
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions
from telegram._utils.types import JSONDict
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.app.codec import ANALYSIS_CODEC
from bot.app.housekeeping import PRUNE_EVERY
from bot.commentary.telegram_html import Flavour
from bot.config import Settings, telegram_api_url, telegram_token
from bot.errors import ConfigError, TelegramUnreachableError
from bot.market.source import MarketSource
from bot.storage import Storage
from bot.storage.leader import Leadership, SoleLeader, leadership_for
from bot.telegram.flood_sharing import share_forever
from bot.telegram.handlers import HANDLER_MODULES, chatter, register_all
from bot.telegram.handlers.common import SERVICE_KEY, STARTUP_HOOKS
from bot.telegram.health import add_health_route
from bot.telegram.inbox import InboxProcessor, InboxQueue, redeliver_pending
from bot.telegram.leader_jobs import (
    LEADER_KEY,
    ORPHAN_AGE,
    LeaderJobQueue,
    on_leadership,
    start_shared_database_jobs,
)
from bot.telegram.redaction import install_redaction
from bot.telegram.services import BotService
from bot.telegram.shutdown import shut_down

log = logging.getLogger(__name__)
# httpcore asks ``import sniffio`` on every request; when it is not installed each ask is a
# failed search of sys.path (~12 a reply, the larger part of a warm reply's time). Marking
# it absent once makes that ask fail at once; httpcore then assumes asyncio, as it should.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]
CONCURRENT_UPDATES = 256
MENU_HIDDEN = {"status"}
#: Messages per second overall, paced evenly (burst of one): a one-second window holds at
#: most 30, Telegram's limit, with room for network jitter. Chat actions are not counted.
SENDS_PER_SECOND = 29
SEND_BURST = 1
#: Attempts after a 429 before RetryAfter reaches the caller.
RETRY_AFTER_RETRIES = 3


def file_url_for(api_url: str) -> str:
    """The file download base matching a Bot API base URL (``…/bot`` → ``…/file/bot``)."""
    root = api_url.rstrip("/")
    return root.removesuffix("/bot") + "/file/bot" if root.endswith("/bot") else root + "/file/bot"


def _modules(extra: Sequence[ModuleType]) -> list[ModuleType]:
    """Handler modules with ``extra`` feature modules placed before the fallbacks."""
    modules = list(HANDLER_MODULES)
    at = modules.index(chatter)
    return [*modules[:at], *extra, *modules[at:]]


async def start_up(app: Application) -> None:
    """After ``initialize``: set the command menu and prune old stored posts."""
    service: BotService = app.bot_data[SERVICE_KEY]
    commands = [BotCommand(c.command, c.description) for c in service.commands()
                if c.command not in MENU_HIDDEN]
    try:
        await app.bot.set_my_commands(commands)
    except TelegramError as e:
        log.warning("could not set the command menu: %s", e)
    await service.prune()
    if app.job_queue is not None:
        app.job_queue.run_repeating(_prune_job, interval=PRUNE_EVERY, first=PRUNE_EVERY,
                                    name="prune")
    for hook in app.bot_data.get(STARTUP_HOOKS, ()):
        await hook(app)



def webhook_secret(token: str) -> str:
    """The webhook's secret: ``TELEGRAM_WEBHOOK_SECRET``, or one derived from the token, so
    every process behind one webhook checks the same secret."""
    configured = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    return configured or hashlib.sha256(f"webhook-secret:{token}".encode()).hexdigest()


async def start_receiving(app: Application, webhook_url: str | None = None,
                          port: int | None = None) -> None:
    """Hand stored, unhandled updates to the handlers first, then poll (or serve a webhook).

    On a shared database (PostgreSQL) only updates older than ``ORPHAN_AGE`` are handed
    back: younger ones may be another live process's, answering right now.
    """
    service: BotService = app.bot_data[SERVICE_KEY]
    shared = service.storage.engine == "postgresql"
    await redeliver_pending(app, service.error_text("internal"),
                            min_age=ORPHAN_AGE if shared else timedelta(0))
    updater = app.updater
    assert updater is not None
    if webhook_url:
        await updater.start_webhook(
            listen="0.0.0.0",
            port=port or 8443,
            url_path=urlparse(webhook_url).path.strip("/"),
            webhook_url=webhook_url,
            secret_token=webhook_secret(app.bot.token),
            drop_pending_updates=False,
        )
        add_health_route(app)
    else:
        await updater.start_polling(drop_pending_updates=False)


async def _prune_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: forget what is past its keep (see ``bot.app.housekeeping``)."""
    await context.bot_data[SERVICE_KEY].prune()


class MessageRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter for messages; chat actions ("typing…") are not messages.

    Telegram's flood limits count messages, so a typing indicator must not spend a
    group's 20-a-minute budget nor delay the reply it announces.
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Send chat actions straight away; everything else through the limiter."""
        if endpoint == "sendChatAction":
            return await callback(*args, **kwargs)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args)


def rate_limiter() -> AIORateLimiter:
    """Telegram's flood limits on every message: ~30/s overall, 20/min per group, 429 retried."""
    return MessageRateLimiter(
        overall_max_rate=SEND_BURST, overall_time_period=SEND_BURST / SENDS_PER_SECOND,
        max_retries=RETRY_AFTER_RETRIES,
    )


def build_application(
    settings: Settings,
    source: MarketSource,
    storage: Storage,
    *,
    token: str | None = None,
    flavour: Flavour = "html",
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    extra_modules: Sequence[ModuleType] = (),
    service: BotService | None = None,
    leadership: Leadership | None = None,
    rate_limited: bool = True,
) -> Application:
    """The configured Application (not yet initialised); its jobs run only while
    ``leadership`` leads (always, by default: one process); ``rate_limited=False`` (the
    offline console, which talks to no Telegram) sends without Telegram's flood pacing."""
    bot_token = token or telegram_token()
    if not bot_token:
        raise ConfigError("TELEGRAM_BOT_TOKEN: expected the bot token in the environment")
    install_redaction(bot_token)
    api_url = telegram_api_url(settings)
    defaults = Defaults(
        parse_mode=ParseMode.HTML if flavour == "html" else None,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        allow_sending_without_reply=True,  # the command was deleted meanwhile: answer anyway
    )
    builder: Any = (
        ApplicationBuilder()
        .token(bot_token)
        .base_url(api_url)
        .base_file_url(file_url_for(api_url))
        .defaults(defaults)
        .concurrent_updates(InboxProcessor(storage.inbox, CONCURRENT_UPDATES))
        .update_queue(InboxQueue(storage.inbox))
        .job_queue(LeaderJobQueue(leadership or SoleLeader()))
    )
    if rate_limited:
        builder = builder.rate_limiter(rate_limiter())
    if request is not None:
        builder = builder.request(request)
    if updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    if request is not None and updates_request is None:
        builder = builder.updater(None)
    app: Application = builder.build()
    service = service or BotService(settings, source, storage, flavour=flavour)
    service.leadership = leadership or service.leadership
    app.bot_data[SERVICE_KEY] = service
    app.bot_data[LEADER_KEY] = service.leadership
    register_all(app, service, _modules(extra_modules))
    return app


async def _wait_for_stop_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not main thread
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def run_bot(
    settings: Settings,
    source: MarketSource,
    *,
    webhook_url: str | None = None,
    port: int | None = None,
    stop: asyncio.Event | None = None,
    storage: Storage | None = None,
) -> None:
    """Run the bot until SIGINT/SIGTERM (or ``stop``): long polling, or a webhook server.

    The caller owns ``source`` (starts and closes it) and ``storage`` when it passes one.
    On SIGTERM fetching stops and every update already received is answered before exit.
    """
    owned = storage is None
    if storage is None:
        storage = await Storage.open(settings.database_path(), codec=ANALYSIS_CODEC)
    sharing: asyncio.Task[None] | None = None
    leadership = leadership_for(settings.database_path()
                                if storage.engine == "postgresql" else None)
    try:
        app = build_application(settings, source, storage, leadership=leadership)
        try:
            async with app:
                await start_up(app)
                await app.start()
                if storage.engine == "postgresql":
                    start_shared_database_jobs(app)
                    sharing = asyncio.create_task(share_forever(
                        app.bot_data[SERVICE_KEY].flood, storage.flood, leadership.name))
                await leadership.start(lambda leading: on_leadership(app, leading))
                await start_receiving(app, webhook_url, port)
                log.info("bot running (%s, %s storage)",
                         "webhook" if webhook_url else "polling", storage.engine)
                await (stop.wait() if stop is not None else _wait_for_stop_signal())
                # stop fetching, then let every update already received get its reply
                assert app.updater is not None
                await shut_down(app)
                await app.updater.stop()
                await app.stop()
                await leadership.stop()  # the next process takes over at its next attempt
                if sharing is not None:
                    sharing.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await sharing
        except InvalidToken as e:
            raise ConfigError("TELEGRAM_BOT_TOKEN: the Bot API rejected the token") from e
        except NetworkError as e:
            raise TelegramUnreachableError(
                f"cannot reach the Telegram Bot API at {telegram_api_url(settings)} ({e})") from e
    finally:
        if owned:
            await storage.close()
