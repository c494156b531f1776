"""Drive the real handlers through ``Application.process_update`` with a recording request."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app.codec import ANALYSIS_CODEC
from bot.config import Settings
from bot.market.source import MarketSource
from bot.storage import Storage
from bot.telegram.app import build_application, start_up
from bot.telegram.recording import BOT_USER, Call, RecordingRequest

TOKEN = "424242:unit-test-token-AAAAAAAAAAAAAAAAAA"
ANONYMOUS_ADMIN = {"id": 1_087_968_824, "is_bot": True, "first_name": "Group",
                   "username": "GroupAnonymousBot"}


class Harness:
    """An initialised Application, its recording request and update builders."""

    def __init__(self, app: Application, request: RecordingRequest) -> None:
        self.app = app
        self.request = request
        self._ids = itertools.count(1)

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        kind = "channel" if chat_id < -1_000_000_000_000 else "supergroup"
        return {"id": chat_id, "type": kind, "title": "Test"}

    def message(self, text: str, chat_id: int = 5, user_id: int | None = None,
                **extra: Any) -> dict[str, Any]:
        """A message body from ``user_id`` (default: the private chat's user)."""
        body: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()),
            "chat": self._chat(chat_id), "text": text,
        }
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 77)
        body["from"] = {"id": uid, "is_bot": False, "first_name": "User"}
        first = text.split()[0] if text.split() else ""
        if first.startswith("/"):
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(first)}]
        body.update(extra)
        return body

    def bot_message(self, call: Call) -> dict[str, Any]:
        """The message the bot sent in ``call`` as it would appear in a later update."""
        chat_id = int(call.params["chat_id"])
        message_id = self.request.message_ids[id(call)]
        body: dict[str, Any] = {
            "message_id": message_id, "date": int(time.time()), "chat": self._chat(chat_id),
            "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
        }
        if call.method == "sendPhoto":
            body["caption"] = call.params.get("caption", "")
        else:
            body["text"] = call.params["text"]
        return body

    async def send(self, text: str, chat_id: int = 5, **kwargs: Any) -> list[Call]:
        """Process one message; return the calls it caused."""
        return await self.process({"message": self.message(text, chat_id, **kwargs)})

    async def process(self, body: dict[str, Any]) -> list[Call]:
        """Process an update body; return the calls it caused."""
        before = len(self.request.calls)
        update = Update.de_json({"update_id": next(self._ids), **body}, self.app.bot)
        await self.app.process_update(update)
        return [c for c in self.request.calls[before:] if c.method != "sendChatAction"]

    async def tap(self, call: Call, data: str, user_id: int | None = None) -> list[Call]:
        """Tap a button with ``data`` under the message sent in ``call``."""
        chat_id = int(call.params["chat_id"])
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 77)
        return await self.process({"callback_query": {
            "id": f"q{next(self._ids)}", "chat_instance": "1", "data": data,
            "from": {"id": uid, "is_bot": False, "first_name": "User"},
            "message": self.bot_message(call),
        }})


@asynccontextmanager
async def harness(settings: Settings, source: MarketSource, storage: Storage | None = None,
                  **kwargs: Any) -> AsyncIterator[Harness]:
    """An initialised Application over ``source`` (in-memory storage unless given)."""
    store = storage or await Storage.open(":memory:", codec=ANALYSIS_CODEC)
    request = RecordingRequest()
    app = build_application(settings, source, store, token=TOKEN, request=request, **kwargs)
    try:
        async with app:
            await start_up(app)
            yield Harness(app, request)
    finally:
        if storage is None:
            await store.close()
