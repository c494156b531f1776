"""``GET /healthz`` on the webhook server, for a load balancer in front of several processes.

200 with ``{"status": "ok", "storage": …, "leader": …}`` while the database answers; 503 with
``"status": "storage unavailable"`` when it does not (take the process out of rotation).
The route is added to the tornado application PTB's updater serves the webhook from.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import tornado.web
from telegram.ext import Application

from bot.errors import StorageError
from bot.storage.leader import Leadership
from bot.telegram.handlers.common import SERVICE_KEY

log = logging.getLogger(__name__)
HEALTH_PATH = "/healthz"


class HealthHandler(tornado.web.RequestHandler):
    """Storage reachable (schema version read) and whether this process leads the scheduler."""

    def initialize(self, app: Application) -> None:  # tornado's hook, not __init__
        self.bot_app = app

    async def get(self) -> None:
        """Answer the load balancer's probe."""
        service = self.bot_app.bot_data[SERVICE_KEY]
        leadership: Leadership = service.leadership
        body: dict[str, Any] = {"storage": service.storage.engine,
                                "leader": leadership.is_leader, "process": leadership.name}
        try:
            body["schema_version"] = await service.storage.schema_version()
            body["status"] = "ok"
        except (StorageError, OSError, Exception) as e:  # any failure: out of rotation
            log.warning("health check: storage unavailable: %s", e)
            body["status"] = "storage unavailable"
            self.set_status(503)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


def add_health_route(app: Application) -> bool:
    """Serve ``/healthz`` next to the webhook (after ``start_webhook``); False if PTB's server
    is not where this expects it (then there is no health route, and a warning says so)."""
    server = getattr(getattr(app.updater, "_httpd", None), "_http_server", None)
    tornado_app = getattr(server, "request_callback", None)
    if not isinstance(tornado_app, tornado.web.Application):
        log.warning("no %s route: the webhook server is not a tornado application", HEALTH_PATH)
        return False
    tornado_app.add_handlers(r".*", [(HEALTH_PATH, HealthHandler, {"app": app})])
    return True
