"""The features' shutdown hooks: background work (websocket streams) ended before stop.

A feature module appends ``async (app) -> None`` to ``app.bot_data[SHUTDOWN_HOOKS]`` when
it registers; :func:`shut_down` runs them, newest first, before the Application stops (PTB
awaits its own tasks on stop, so long-running ones must be ended here).
"""

from __future__ import annotations

import logging

from telegram.ext import Application

log = logging.getLogger(__name__)
#: ``bot_data`` key of a list of ``async (app) -> None`` that ``shut_down`` runs before stop.
SHUTDOWN_HOOKS = "shutdown_hooks"


async def shut_down(app: Application) -> None:
    """Before stopping: end the features' background work, newest first."""
    for hook in reversed(app.bot_data.get(SHUTDOWN_HOOKS, ())):
        try:
            await hook(app)
        except Exception:  # one feature's failure never keeps the others running
            log.exception("shutdown hook failed")
