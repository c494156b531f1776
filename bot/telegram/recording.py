"""A Bot API stand-in inside the process: answers every call locally and records it.

Used by the console chat (which prints what the bot sends) and by unit tests
(which read ``calls`` back). No network is touched.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER: dict[str, Any] = {
    "id": 1_000_001, "is_bot": True, "first_name": "Commentator",
    "username": "market_commentator_bot", "can_join_groups": True,
    "can_read_all_group_messages": False, "supports_inline_queries": False,
}


@dataclass
class Call:
    """One Bot API call: the method, its parameters and any uploaded file bytes."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    #: id of the message the call sent or edited (once answered)
    message_id: int | None = None
    #: whether the call was answered with success
    ok: bool = True


class RecordingRequest(BaseRequest):
    """Answers Bot API methods like Telegram would for a well-formed call."""

    def __init__(self, on_call: Callable[[Call], None] | None = None) -> None:
        self.calls: list[Call] = []
        self._on_call = on_call
        self._ids = itertools.count(10_000)
        self.texts: dict[tuple[int, int], str] = {}
        #: id(call) → message id the bot got back, for building replies and taps in tests
        self.message_ids: dict[int, int] = {}
        #: file_id → bytes of each photo uploaded (a photo sent again by id finds them)
        self.photos: dict[str, bytes] = {}

    @property
    def read_timeout(self) -> float | None:
        """No network, no timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Record the call and answer it."""
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, bytes] = {}
        if request_data is not None and request_data.contains_files:
            for name, value in request_data.multipart_data.items():
                content = value[1]
                files[name] = content if isinstance(content, bytes) else content.read()
        if api_method == "sendPhoto" and "photo" not in files:
            files["photo"] = self.photos.get(str(params.get("photo")), b"")
        call = Call(api_method, params, files)
        self.calls.append(call)
        ok, result = self._answer(call)
        call.ok = ok
        if ok and isinstance(result, dict) and "message_id" in result:
            call.message_id = int(result["message_id"])
            self.message_ids[id(call)] = call.message_id
        if self._on_call is not None:
            self._on_call(call)
        body = {"ok": True, "result": result} if ok else {
            "ok": False, "error_code": 400, "description": result}
        return (200 if ok else 400), json.dumps(body).encode()

    def _answer(self, call: Call) -> tuple[bool, Any]:
        p = call.params
        if call.method == "getMe":
            return True, BOT_USER
        if call.method in ("sendMessage", "sendPhoto"):
            message = self._message(int(p["chat_id"]), next(self._ids))
            if call.method == "sendPhoto":
                if not call.files.get("photo"):
                    return False, "Bad Request: wrong file identifier/HTTP URL specified"
                file_id = str(p["photo"]) if str(p.get("photo")) in self.photos else (
                    f"console-photo-{len(self.photos) + 1}")
                self.photos[file_id] = call.files["photo"]
                message["photo"] = [{"file_id": file_id, "file_unique_id": file_id,
                                     "width": 1, "height": 1}]
                message["caption"] = p.get("caption", "")
            else:
                message["text"] = p["text"]
                self.texts[(int(p["chat_id"]), message["message_id"])] = p["text"]
            return True, message
        if call.method == "editMessageText":
            key = (int(p["chat_id"]), int(p["message_id"]))
            if self.texts.get(key) == p["text"]:
                return False, "Bad Request: message is not modified"
            self.texts[key] = p["text"]
            return True, {**self._message(*key), "text": p["text"]}
        if call.method == "deleteMessage":
            if self.texts.pop((int(p["chat_id"]), int(p["message_id"])), None) is None:
                return False, "Bad Request: message to delete not found"
            return True, True
        if call.method == "getChatMember":
            return True, {"status": "member", "user": {"id": int(p["user_id"]), "is_bot": False,
                                                       "first_name": "User"}}
        return True, True

    @staticmethod
    def _message(chat_id: int, message_id: int) -> dict[str, Any]:
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
        }

    def sent(self, method: str = "sendMessage") -> list[Call]:
        """Every recorded call of ``method``."""
        return [c for c in self.calls if c.method == method]
