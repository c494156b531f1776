"""Market commands: /btc (one per configured symbol), /price, /digest, /whales, /levels, /chart."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, CommandHandler

from bot.app.views import View
from bot.errors import UnknownSymbolError
from bot.symbols import DEMO_VENUE
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    SERVICE_KEY,
    STARTUP_HOOKS,
    Context,
    command_of,
    heavy_work,
    link_message,
    post_view,
    reply,
    service_of,
)
from bot.telegram.keyboards import CHART_TIMEFRAMES
from bot.telegram.services import BotService

DEFAULT_CHART_TIMEFRAME = "4h"
#: Shortest pause between two background refreshes of the configured symbols (seconds).
MIN_REFRESH_SECONDS = 1.0


async def _symbol_view(update: Update, context: Context, view: View, *, required: bool) -> None:
    service = service_of(context)
    command = command_of(update)
    args = context.args or []
    if not args and required:
        example = f"/{command} {service.settings.symbol_names[0]}"
        await reply(update, service.error_text("missing_symbol", example=example))
        return
    raw = args[0] if args else service.settings.symbol_names[0]
    await post_view(update, context, service.symbols.resolve(raw), view)


async def symbol_command(update: Update, context: Context) -> None:
    """/btc, /eth … [1h|4h|1d]: the quick take on that symbol, then the chart when asked."""
    service = service_of(context)
    command = command_of(update)
    symbol = service.symbols.resolve(command)
    args = [a.lower() for a in (context.args or [])]
    if len(args) > 1 or (args and args[0] not in CHART_TIMEFRAMES):
        await reply(update, service.error_text("coin_timeframe", command="/" + command))
        return
    await post_view(update, context, symbol, "quick")
    if args:
        await send_chart(update, context, symbol, args[0])


def _is_coin(service: BotService, text: str) -> bool:
    """Whether ``text`` names a coin (also a real one the offline demo has no data for)."""
    try:
        service.symbols.resolve(text)
    except UnknownSymbolError as e:
        return e.venue == DEMO_VENUE
    return True


async def price(update: Update, context: Context) -> None:
    """/price SYMBOL [SYMBOL…]: price and 24h change; several coins in one reply."""
    service = service_of(context)
    asked = [a for arg in context.args or [] for a in arg.split(",") if a.strip()]
    if len(asked) <= 1 or not any(_is_coin(service, a) for a in asked):
        await _symbol_view(update, context, "price", required=True)  # one coin, or junk
        return
    async with heavy_work(update, context) as go:
        if go:
            await reply(update, await service.prices_text(asked))


async def digest(update: Update, context: Context) -> None:
    """/digest [SYMBOL]: the full article."""
    await _symbol_view(update, context, "digest", required=False)


async def whales(update: Update, context: Context) -> None:
    """/whales [SYMBOL]: whale positioning."""
    await _symbol_view(update, context, "whales", required=False)


async def levels(update: Update, context: Context) -> None:
    """/levels [SYMBOL]: support and resistance."""
    await _symbol_view(update, context, "levels", required=False)


async def chart(update: Update, context: Context) -> None:
    """/chart [SYMBOL] [1h|4h|1d]: a candle chart with a short caption."""
    service = service_of(context)
    args = [a.lower() for a in (context.args or [])]
    timeframes = [a for a in args if a in CHART_TIMEFRAMES]
    others = [a for a in args if a not in CHART_TIMEFRAMES]
    example = f"/chart {service.settings.symbol_names[0].lower()} 4h"
    if len(others) > 1 or len(timeframes) > 1:
        await reply(update, service.error_text("bad_timeframe", example=example))
        return
    raw = others[0] if others else service.settings.symbol_names[0]
    try:
        symbol = service.symbols.resolve(raw)
    except UnknownSymbolError:
        if not raw[:1].isdigit():
            raise
        await reply(update, service.error_text("bad_timeframe", example=example))
        return
    await send_chart(update, context, symbol, timeframes[0] if timeframes else
                     DEFAULT_CHART_TIMEFRAME)


async def send_chart(update: Update, context: Context, symbol: str, timeframe: str) -> None:
    """Render and send a chart photo (used by /chart and the chart button)."""
    service = service_of(context)
    message = update.effective_message
    async with heavy_work(update, context, ChatAction.UPLOAD_PHOTO) as go:
        if not go or message is None:
            return
        result = await service.chart(symbol, timeframe)
        sent = await service.reply_chart(message, result)
        await link_message(service, sent.chat_id, sent.message_id, result.post_id, view="chart")


async def _refresh_hot(context: Context) -> None:
    """Job: the configured symbols' market data refreshed, so replies read memory."""
    await service_of(context).refresh_hot()


async def start_refreshing(app: Application) -> None:
    """Start the background refresh of the configured symbols, every ticker TTL."""
    service: BotService = app.bot_data[SERVICE_KEY]
    if app.job_queue is not None:
        every = max(MIN_REFRESH_SECONDS, service.settings.cache.ticker_ttl)
        app.job_queue.run_repeating(_refresh_hot, interval=every, first=0.0,
                                    name="refresh-hot")


def register_handlers(app: Application, service: BotService) -> None:
    """Register the market commands (and the background refresh of their symbols)."""
    app.bot_data.setdefault(STARTUP_HOOKS, []).append(start_refreshing)
    names = [n.lower() for s in service.settings.symbols for n in (s.name, *s.aliases)
             if n.isascii() and n.replace("_", "").isalnum() and len(n) <= 32]
    app.add_handler(CommandHandler(names, symbol_command, filters=NEW_MESSAGES))
    for command, callback in (("price", price), ("digest", digest), ("whales", whales),
                              ("levels", levels), ("chart", chart)):
        app.add_handler(CommandHandler(command, callback, filters=NEW_MESSAGES))
