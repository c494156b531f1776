"""A fake Telegram Bot API server on 127.0.0.1 (aiohttp) for end-to-end tests.

The real ``Application`` polls it through ``[telegram] api_url``. Every outgoing
call is validated as Telegram would (``telegram_rules``); a call Telegram would
reject is answered with its 400 error *and* recorded in ``violations``, which the
test fixture asserts to be empty. Tests inject updates (``send_text``,
``tap_button``, ``channel_post``) and read back what the bot sent (``sent``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.fake_bot_inline import InlineMethods
from tests.fakes.fake_bot_methods import BOT_ID, BOT_USERNAME, BotApiMethods, Reject, Sent
from tests.fakes.telegram_limits import SENDING_METHODS, SendLimits

__all__ = ["BOT_ID", "BOT_USERNAME", "FakeBotApi", "Sent"]
ANONYMOUS_ADMIN_ID = 1_087_968_824


@dataclass
class FakeBotApi(InlineMethods, BotApiMethods):
    """State and test API of the fake server."""

    token: str = "123456:TEST-token-for-the-fake-api"
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    admins: dict[int, set[int]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    callback_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    commands: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    long_poll_cap: float = 0.25  # seconds a getUpdates may hang (short: fast shutdowns)
    limits: SendLimits | None = None  # Telegram's flood limits (429 + retry_after) when set
    delivered: dict[int, float] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._confirmed = 0
        self.webhook: dict[str, str] | None = None
        self._sends_open = asyncio.Event()
        self._sends_open.set()
        self.held = 0  # sends waiting behind ``hold_sends``
        self.inline_answers: dict[str, dict[str, Any]] = {}
        self._inline_queries: dict[str, str] = {}

    # -- lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop serving."""
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        """The ``api_url`` for the bot (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # -- test API: chats and updates -----------------------------------------------

    def add_chat(self, chat_id: int, kind: str = "private", title: str = "Test chat") -> None:
        """Make ``chat_id`` known (Telegram answers "chat not found" otherwise)."""
        chat: dict[str, Any] = {"id": chat_id, "type": kind}
        if kind == "private":
            chat["first_name"] = "Tester"
        else:
            chat["title"] = title
        self.chats[chat_id] = chat

    def _message(self, chat_id: int, text: str, *, user_id: int | None, **extra: Any) -> dict:
        if chat_id not in self.chats:
            self.add_chat(chat_id, "private" if chat_id > 0 else "supergroup")
        message: dict[str, Any] = {
            "message_id": self._next_id(chat_id),
            "date": int(time.time()),
            "chat": self.chats[chat_id],
            "text": text,
        }
        if user_id is not None:
            message["from"] = {"id": user_id, "is_bot": False, "first_name": "User"}
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        message.update(extra)
        return message

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        reply_to: Sent | None = None,
        anonymous_admin: bool = False,
    ) -> int:
        """A user writes ``text`` in ``chat_id``; returns the update id."""
        extra: dict[str, Any] = {}
        if reply_to is not None:
            extra["reply_to_message"] = self._as_update_message(reply_to)
        if anonymous_admin:
            extra["sender_chat"] = self.chats.get(chat_id) or {"id": chat_id, "type": "supergroup"}
            extra["from"] = {"id": ANONYMOUS_ADMIN_ID, "is_bot": True, "first_name": "Group",
                             "username": "GroupAnonymousBot"}
        uid = user_id if user_id is not None else (chat_id if chat_id > 0 else 42)
        message = self._message(chat_id, text, user_id=uid, **extra)
        return self._push({"message": message})

    def edit_text(self, chat_id: int, message_id: int, text: str, *, user_id: int = 42) -> int:
        """A user edits an earlier message (the bot should ignore it)."""
        message = self._message(chat_id, text, user_id=user_id)
        message["message_id"] = message_id
        message["edit_date"] = int(time.time())
        return self._push({"edited_message": message})

    def channel_post(self, chat_id: int, text: str) -> int:
        """A post in channel ``chat_id`` (no sender user)."""
        if chat_id not in self.chats:
            self.add_chat(chat_id, "channel", "Test channel")
        message = self._message(chat_id, text, user_id=None, sender_chat=self.chats[chat_id])
        return self._push({"channel_post": message})

    def tap_button(self, sent: Sent, data: str | None = None, *, user_id: int | None = None) -> str:
        """A user taps an inline button under ``sent`` (``data`` defaults to the first)."""
        payload = data if data is not None else sent.buttons[0][1]
        query_id = f"cbq-{next(self._update_ids)}"
        uid = user_id if user_id is not None else (sent.chat_id if sent.chat_id > 0 else 42)
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": uid, "is_bot": False, "first_name": "User"},
                    "chat_instance": str(sent.chat_id),
                    "message": self._as_update_message(sent),
                    "data": payload,
                }
            }
        )
        return query_id

    def push_raw(self, update: dict[str, Any]) -> int:
        """Queue an arbitrary update body (``update_id`` is added)."""
        return self._push(update)

    def _push(self, body: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **body})
        self._new_update.set()
        return update_id

    def hold_sends(self) -> None:
        """Hold every send (the bot's replies) unanswered until ``release_sends``.

        A held send whose caller died meanwhile (connection closed) never arrives, like a
        request that had not yet reached Telegram when the bot was killed.
        """
        self._sends_open.clear()

    def release_sends(self) -> None:
        """Let held and new sends through."""
        self._sends_open.set()

    def forget_history(self, keep_last: int = 0) -> None:
        """Drop the record of sent messages and calls but the last ``keep_last`` (a late
        edit still finds its message); long soaks measure the bot's memory, not the fake's."""
        del self.sent[:max(0, len(self.sent) - keep_last)]
        del self.calls[:max(0, len(self.calls) - keep_last)]

    # -- test API: reading back --------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[Sent]:
        """Messages the bot sent to ``chat_id`` (in order)."""
        return [s for s in self.sent if s.chat_id == chat_id]

    async def wait_for(self, predicate: Any, timeout: float = 30.0) -> None:
        """Wait until ``predicate()`` is true (checked after every bot call)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_sent(self, chat_id: int, count: int, timeout: float = 30.0) -> list[Sent]:
        """Wait until the bot sent ``count`` messages to ``chat_id``; return them."""
        await self.wait_for(lambda: len(self.sent_to(chat_id)) >= count, timeout)
        return self.sent_to(chat_id)

    def polled_past(self, update_id: int) -> bool:
        """Whether the bot confirmed ``update_id`` (asked for updates after it)."""
        return self._confirmed > update_id

    def method_calls(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call of ``method``."""
        return [p for m, p in self.calls if m == method]

    # -- HTTP ------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, files = await _read_params(request)
        if method in SENDING_METHODS and not self._sends_open.is_set():
            self.held += 1
            async with self._changed:
                self._changed.notify_all()
            await self._sends_open.wait()
            self.held -= 1
            if request.transport is None or request.transport.is_closing():
                return _error(499, "the caller went away")
        self.calls.append((method, params))
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            self.violations.append(f"{method}: method not implemented by the fake")
            return _error(404, "Not Found: method not found")
        limited = self._rate_limited(method, params)
        if limited is not None:
            return limited
        try:
            if method == "sendPhoto":
                result = await handler(params, files)
            else:
                result = await handler(params)
        except Reject as e:
            if e.violation:
                self.violations.append(f"{method}: {e.description}")
            return _error(e.code, e.description)
        async with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})


    def _rate_limited(self, method: str, params: dict[str, Any]) -> web.Response | None:
        if self.limits is None or method not in SENDING_METHODS:
            return None
        try:
            chat_id = int(params.get("chat_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        retry_after = self.limits.check(chat_id)
        if retry_after is None:
            return None
        return _error(429, f"Too Many Requests: retry after {retry_after}",
                      {"retry_after": retry_after})


def _error(code: int, description: str, parameters: dict[str, Any] | None = None
           ) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


def _command_entities(text: str) -> list[dict[str, Any]]:
    if not text.startswith("/"):
        return []
    length = len(text.split()[0]) if text.split() else 0
    return [{"type": "bot_command", "offset": 0, "length": length}] if length > 1 else []


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        params = await request.json()
    elif request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                params[key] = value
    for key in ("commands", "reply_markup", "reply_parameters"):
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    if isinstance(params.get("photo"), str) and params["photo"].startswith("attach://"):
        name = params["photo"].removeprefix("attach://")
        files["photo"] = files.get(name, b"")
    return params, files
