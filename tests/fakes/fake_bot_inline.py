"""Inline mode in the fake Bot API: users type ``@bot query`` and the bot answers.

A mixin of ``FakeBotApi``: ``inline_query`` pushes an ``inline_query`` update as Telegram
sends it, and ``answerInlineQuery`` is validated by Telegram's rules (a known, unanswered
query; at most 50 results; unique ids of 1–64 bytes; titles; message texts valid HTML within
4096 characters; photos by a file id the fake handed out; a cache time) before it is recorded.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes import telegram_rules as rules
from tests.fakes.fake_bot_methods import Reject, parse_json, require

MAX_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
_QUERY_IDS = itertools.count(1)


class InlineMethods:
    """``inline_query`` (test API) and ``answerInlineQuery`` (Bot API)."""

    inline_answers: dict[str, dict[str, Any]]
    files: dict[str, bytes]
    _inline_queries: dict[str, str]

    def _push(self, body: dict[str, Any]) -> int:  # provided by FakeBotApi
        raise NotImplementedError

    def inline_query(self, query: str, *, user_id: int = 42) -> str:
        """User ``user_id`` types ``@bot query`` in some chat; returns the query id."""
        query_id = f"iq-{next(_QUERY_IDS)}"
        self._inline_queries[query_id] = query
        self._push({"inline_query": {
            "id": query_id, "query": query, "offset": "", "chat_type": "supergroup",
            "from": {"id": user_id, "is_bot": False, "first_name": "User",
                     "language_code": "en"}}})
        return query_id

    def inline_results(self, query_id: str) -> list[dict[str, Any]]:
        """The results the bot answered ``query_id`` with."""
        return list(self.inline_answers[query_id]["results"])

    async def _api_answerinlinequery(self, p: dict[str, Any]) -> bool:
        query_id = str(p.get("inline_query_id"))
        if query_id not in self._inline_queries:
            raise Reject("Bad Request: query is too old and response timeout expired or query "
                         "ID is invalid")
        if query_id in self.inline_answers:
            raise Reject("Bad Request: query ID is invalid (answered twice)")
        results = parse_json(p.get("results"))
        if not isinstance(results, list) or len(results) > MAX_RESULTS:
            raise Reject("Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id", "")) for r in results]
        if any(not 1 <= len(i.encode()) <= MAX_RESULT_ID_BYTES for i in ids):
            raise Reject("Bad Request: RESULT_ID_INVALID")
        if len(set(ids)) != len(ids):
            raise Reject("Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            _check_result(result, self.files)
        cache_time = p.get("cache_time")
        if cache_time is not None and int(cache_time) < 0:
            raise Reject("Bad Request: cache_time must be positive")
        self.inline_answers[query_id] = {**p, "results": results}
        return True


def _check_result(result: dict[str, Any], files: dict[str, bytes]) -> None:
    kind = result.get("type")
    if kind == "article":
        if not str(result.get("title") or "").strip():
            raise Reject("Bad Request: RESULT_TITLE_EMPTY")
        content = result.get("input_message_content") or {}
        require(rules.check_text(content.get("message_text"), content.get("parse_mode"),
                                 limit=rules.MAX_TEXT, field="message_text"))
    elif kind == "photo":
        if str(result.get("photo_file_id") or "") not in files:
            raise Reject("Bad Request: wrong file identifier/HTTP URL specified")
        caption = result.get("caption")
        if caption:
            require(rules.check_text(caption, result.get("parse_mode"),
                                     limit=rules.MAX_CAPTION, field="caption"))
    else:
        raise Reject(f"Bad Request: the fake does not expect inline results of type {kind!r}")
