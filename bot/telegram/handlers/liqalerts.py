"""Liquidation burst alerts: ``/liqalerts [on [MIN_USD] | off]``.

A thin handler over :class:`bot.app.liquidation_alerts.LiquidationAlerts` (in groups only
administrators switch it; anyone may ask its state). Registering this module adds a
start-up hook that sets the feature up (streams only with a live source or a configured
``ws_url``: never from demo or replayed data) — bursts are sent through the price alerts'
delivery, so through the same outbox and rate limiter — and starts the venue streams when
a chat has opted in (or ``[liquidations] enabled``), and a shutdown hook that closes them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.app.alert_round import AlertRound
from bot.app.liquidation_alerts import LiquidationAlerts
from bot.app.push_delivery import PushDelivery
from bot.market.source import VenueReporting
from bot.telegram.alert_jobs import ROUND_KEY
from bot.telegram.delivery import TelegramSender
from bot.telegram.handlers.common import (
    NEW_MESSAGES,
    SERVICE_KEY,
    STARTUP_HOOKS,
    Context,
    admin_or_refuse,
    destination_of,
    reply,
)
from bot.telegram.services import BotService
from bot.telegram.shutdown import SHUTDOWN_HOOKS

#: ``bot_data`` key of the application's :class:`LiquidationAlerts`.
LIQUIDATIONS_KEY = "liquidation_alerts"


async def liqalerts(update: Update, context: Context) -> None:
    """/liqalerts [on [MIN_USD] | off]: liquidation burst alerts for this chat."""
    feature = context.bot_data.get(LIQUIDATIONS_KEY)
    if update.effective_chat is None or not isinstance(feature, LiquidationAlerts):
        return
    args = context.args or []
    if args and not await admin_or_refuse(update, context, "liqalerts"):
        return
    await reply(update, feature.render(await feature.command(destination_of(update), args)))


async def start_liquidations(app: Application) -> None:
    """Start-up hook: the feature on the shared delivery; its streams if wanted."""
    service: BotService = app.bot_data[SERVICE_KEY]
    round_ = app.bot_data.get(ROUND_KEY)
    delivery = round_.delivery if isinstance(round_, AlertRound) else PushDelivery(
        service.storage, TelegramSender(app.bot), lambda: datetime.now(UTC))
    feature = app.bot_data.get(LIQUIDATIONS_KEY)
    if not isinstance(feature, LiquidationAlerts):
        live = isinstance(service.source, VenueReporting) or bool(
            service.settings.liquidations.ws_url)
        feature = LiquidationAlerts(service, delivery.send_all, live=live)
        app.bot_data[LIQUIDATIONS_KEY] = feature
    service.stream_states = feature.stream_states
    await feature.update_streams()


async def stop_liquidations(app: Application) -> None:
    """Shutdown hook: close the streams."""
    feature = app.bot_data.get(LIQUIDATIONS_KEY)
    if isinstance(feature, LiquidationAlerts):
        await feature.close()


def register_handlers(app: Application, service: BotService) -> None:
    """Register /liqalerts and the start-up and shutdown hooks."""
    app.add_handler(CommandHandler("liqalerts", liqalerts, filters=NEW_MESSAGES))
    app.bot_data.setdefault(STARTUP_HOOKS, []).append(start_liquidations)
    app.bot_data.setdefault(SHUTDOWN_HOOKS, []).append(stop_liquidations)
