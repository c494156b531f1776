"""Handler modules, one per feature, each with ``register_handlers(app, service)``.

``HANDLER_MODULES`` is the registration order: the gate first, the fallbacks
(``chatter``) last. A new feature (follow-up questions, subscriptions) adds its
module to the list before ``chatter``.
"""

from __future__ import annotations

from types import ModuleType

from telegram.ext import Application

from bot.telegram.handlers import (
    alerts,
    basics,
    buttons,
    chatter,
    errors,
    followup,
    gate,
    inline,
    liqalerts,
    market,
    status,
    subscriptions,
    trackrecord,
    whales_watch,
)
from bot.telegram.services import BotService

HANDLER_MODULES: list[ModuleType] = [gate, basics, market, status, buttons, alerts, whales_watch,
                                     liqalerts, inline, followup, subscriptions, trackrecord,
                                     chatter, errors]


def register_all(
    app: Application,
    service: BotService,
    modules: list[ModuleType] | None = None,
) -> None:
    """Register every handler module, in order."""
    for module in modules if modules is not None else HANDLER_MODULES:
        module.register_handlers(app, service)
