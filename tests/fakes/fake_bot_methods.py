"""The Bot API methods the fake server implements, each validating like Telegram.

A mixin of ``FakeBotApi``: every ``_api_<method>`` takes the call's parameters and
returns the ``result`` or raises ``Reject`` with Telegram's error description.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import telegram_rules as rules

BOT_ID = 700_000_001
BOT_USERNAME = "commentator_test_bot"


@dataclass
class Sent:
    """A message as the fake holds it (after any edits)."""

    method: str
    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None = None
    photo: bytes | None = None
    reply_to: int | None = None
    edits: int = 0
    #: the photo's ``file_id``, and whether it was sent by that id (no upload)
    file_id: str = ""
    by_file_id: bool = False
    at: float = field(default_factory=time.perf_counter)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of every inline button."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


class Reject(Exception):
    def __init__(self, description: str, code: int = 400, *, violation: bool = True) -> None:
        super().__init__(description)
        self.description = description if description.startswith("Bad Request") else (
            f"Bad Request: {description}")
        self.code = code
        self.violation = violation


def require(problem: str | None) -> None:
    if problem is not None:
        raise Reject(problem)


def parse_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise Reject("can't parse reply keyboard markup JSON object") from None
    return value


def reply_to_id(p: dict[str, Any]) -> int | None:
    params = parse_json(p.get("reply_parameters"))
    if isinstance(params, dict) and "message_id" in params:
        return int(params["message_id"])
    raw = p.get("reply_to_message_id")
    return int(raw) if raw else None


class BotApiMethods:
    """getMe, getUpdates, sendMessage, sendPhoto, editMessageText, answerCallbackQuery …"""

    chats: dict[int, dict[str, Any]]
    admins: dict[int, set[int]]
    sent: list[Sent]
    callback_answers: dict[str, dict[str, Any]]
    commands: list[dict[str, Any]]
    webhook: dict[str, str] | None
    long_poll_cap: float
    _updates: list[dict[str, Any]]
    _new_update: asyncio.Event
    _confirmed: int
    _message_ids: dict[int, itertools.count[int]]
    #: update id → when a getUpdates answer first carried it (perf_counter)
    delivered: dict[int, float]
    #: file_id → bytes of every photo uploaded (a photo sent again by id is looked up here)
    files: dict[str, bytes]

    def _next_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _as_update_message(self, sent: Sent) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self.chats[sent.chat_id],
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot", "username": BOT_USERNAME},
        }
        if sent.photo is not None:
            message["photo"] = [{"file_id": sent.file_id, "file_unique_id": sent.file_id[-8:],
                                 "width": 1, "height": 1}]
            message["caption"] = sent.text
        else:
            message["text"] = sent.text
        if sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        return message

    async def _api_getupdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        self._confirmed = max(self._confirmed, offset)
        timeout = float(p.get("timeout") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), min(timeout, self.long_poll_cap))
        limit = int(p.get("limit") or 100)
        batch = self._updates[:limit]
        now = time.perf_counter()
        for update in batch:  # when the bot got each update (benches: the bot's own time)
            self.delivered.setdefault(update["update_id"], now)
        return batch

    async def _api_getme(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Commentator",
                "username": BOT_USERNAME, "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": True}

    async def _api_deletewebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _api_setwebhook(self, p: dict[str, Any]) -> bool:
        url = str(p.get("url") or "")
        secret = str(p.get("secret_token") or "")
        if not url.startswith(("https://", "http://127.0.0.1")):
            raise Reject("bad webhook: An HTTPS URL must be provided for webhook")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise Reject("bad webhook: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret}
        return True

    async def _api_setmycommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands")
        require(rules.check_commands(commands))
        self.commands = list(commands or [])
        return True

    async def _api_sendchataction(self, p: dict[str, Any]) -> bool:
        self._chat(p)
        if p.get("action") not in {"typing", "upload_photo"}:
            raise Reject(f"unexpected action {p.get('action')!r}")
        return True

    async def _api_getchat(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._chat(p)

    async def _api_getchatmember(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        user_id = int(p["user_id"])
        status = "administrator" if user_id in self.admins.get(chat["id"], set()) else "member"
        user = {"id": user_id, "is_bot": False, "first_name": "User"}
        if status == "administrator":
            return {"status": status, "user": user, "can_be_edited": False,
                    "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
                    "can_manage_video_chats": True, "can_restrict_members": True,
                    "can_promote_members": False, "can_change_info": True,
                    "can_invite_users": True, "can_post_stories": False,
                    "can_edit_stories": False, "can_delete_stories": False}
        return {"status": status, "user": user}

    async def _api_sendmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        require(rules.check_text(p.get("text"), p.get("parse_mode"), limit=rules.MAX_TEXT,
                                  field="text"))
        markup = parse_json(p.get("reply_markup"))
        require(rules.check_reply_markup(markup))
        reply_to = reply_to_id(p)
        sent = Sent("sendMessage", chat["id"], self._next_id(chat["id"]), p["text"], markup,
                    reply_to=reply_to)
        self.sent.append(sent)
        return self._as_update_message(sent)

    async def _api_sendphoto(self, p: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat = self._chat(p)
        photo = files.get("photo")
        by_id = photo is None and isinstance(p.get("photo"), str)
        if by_id:
            photo = self.files.get(p["photo"])
            if photo is None:
                raise Reject("Bad Request: wrong file identifier/HTTP URL specified")
        if not photo or not (photo.startswith(b"\x89PNG") or photo.startswith(b"\xff\xd8")):
            raise Reject("Bad Request: IMAGE_PROCESS_FAILED")
        file_id = p["photo"] if by_id else f"AgACAgIAAxk-{len(self.files) + 1:06d}"
        self.files[file_id] = photo
        caption = p.get("caption", "")
        if caption:
            require(rules.check_text(caption, p.get("parse_mode"), limit=rules.MAX_CAPTION,
                                      field="caption"))
        markup = parse_json(p.get("reply_markup"))
        require(rules.check_reply_markup(markup))
        sent = Sent("sendPhoto", chat["id"], self._next_id(chat["id"]), caption, markup,
                    photo=photo, reply_to=reply_to_id(p), file_id=file_id, by_file_id=by_id)
        self.sent.append(sent)
        return self._as_update_message(sent)

    async def _api_editmessagetext(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        target = self._find(chat["id"], int(p.get("message_id") or 0))
        require(rules.check_text(p.get("text"), p.get("parse_mode"), limit=rules.MAX_TEXT,
                                  field="text"))
        markup = parse_json(p.get("reply_markup"))
        require(rules.check_reply_markup(markup))
        if target.photo is not None:
            raise Reject("Bad Request: there is no text in the message to edit")
        if target.text == p["text"] and target.reply_markup == markup:
            raise Reject("Bad Request: message is not modified: specified new message content "
                          "and reply markup are exactly the same as a current content and reply "
                          "markup of the message", violation=False)
        target.text, target.reply_markup = p["text"], markup
        target.edits += 1
        return self._as_update_message(target)

    async def _api_deletemessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        target = self._find(chat["id"], int(p.get("message_id") or 0))
        self.sent.remove(target)
        return True

    async def _api_answercallbackquery(self, p: dict[str, Any]) -> bool:
        query_id = str(p.get("callback_query_id"))
        if not query_id.startswith("cbq-"):
            raise Reject("Bad Request: query is too old and response timeout expired or query "
                          "ID is invalid")
        if query_id in self.callback_answers:
            raise Reject("Bad Request: query ID is invalid (answered twice)")
        if len(str(p.get("text") or "")) > rules.MAX_CALLBACK_ANSWER:
            raise Reject("Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = p
        return True

    def _chat(self, p: dict[str, Any]) -> dict[str, Any]:
        try:
            chat_id = int(p.get("chat_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise Reject("Bad Request: chat_id is empty") from None
        chat = self.chats.get(chat_id)
        if chat is None:
            raise Reject("Bad Request: chat not found")
        return chat

    def _find(self, chat_id: int, message_id: int) -> Sent:
        for s in self.sent:
            if s.chat_id == chat_id and s.message_id == message_id:
                return s
        raise Reject("Bad Request: message to edit not found")
