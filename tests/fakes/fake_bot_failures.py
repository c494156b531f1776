"""The fake Bot API with the refusals a broadcast meets: blocked/kicked, migrated, topic gone.

Answers like Telegram: 403 "Forbidden: bot was kicked…", 400 with ``migrate_to_chat_id``
(the group became a supergroup), 400 "message thread not found" for a deleted forum topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.fake_bot_api import FakeBotApi, _error
from tests.fakes.telegram_limits import SENDING_METHODS


@dataclass
class FailingBotApi(FakeBotApi):
    """``FakeBotApi`` plus chats that refuse, migrate, or lost a topic."""

    forbidden: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    gone_topics: set[tuple[int, int]] = field(default_factory=set)

    def _rate_limited(self, method: str, params: dict[str, Any]) -> web.Response | None:
        if method in SENDING_METHODS:
            refusal = self._refusal(params)
            if refusal is not None:
                return refusal
        return super()._rate_limited(method, params)

    def _refusal(self, params: dict[str, Any]) -> web.Response | None:
        chat_id = int(params.get("chat_id") or 0)
        thread = params.get("message_thread_id")
        if chat_id in self.forbidden:
            return _error(403, "Forbidden: bot was kicked from the supergroup chat")
        if chat_id in self.migrated:
            return _error(400, "Bad Request: group chat was upgraded to a supergroup chat",
                          {"migrate_to_chat_id": self.migrated[chat_id]})
        if thread is not None and (chat_id, int(thread)) in self.gone_topics:
            return _error(400, "Bad Request: message thread not found")
        return None
