"""Refresh taps edit the post in place: a toast when nothing changed, parts gained or lost."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from bot.app.service import Post
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.telegram.recording import Call
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import Harness, harness


@pytest.fixture
def demo(settings: Settings) -> FlakySource:
    return FlakySource(DemoSource(settings))


def _markup(call: Call) -> dict[str, Any]:
    markup = call.params.get("reply_markup") or {}
    return json.loads(markup) if isinstance(markup, str) else markup


def _refresh_data(call: Call) -> str:
    return str(_markup(call)["inline_keyboard"][0][0]["callback_data"])


def _serve_parts(h: Harness, reshape: Any) -> None:
    """Make the next renders of the service reshape their parts (as a moved market would)."""
    service = h.app.bot_data["market_service"]
    real = service.post

    async def post(symbol: str, view: Any, *, chat_id: int = 0) -> Post:
        rendered = await real(symbol, view, chat_id=chat_id)
        return replace(rendered, messages=reshape(rendered.messages))

    service.post = post


async def test_refresh_of_an_unchanged_post_says_no_change_in_a_toast(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [post] = [c for c in await h.send("/btc") if c.method == "sendMessage"]
        calls = await h.tap(post, _refresh_data(post))
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params["text"] == "No change since this post (as of 1 Mar 2026, 12:00 UTC)."
    assert not [c for c in calls if c.method == "sendMessage"]  # no duplicate post


async def test_refresh_of_a_post_that_grew_edits_then_sends_only_the_new_part(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [post] = [c for c in await h.send("/btc") if c.method == "sendMessage"]
        _serve_parts(h, lambda parts: (*parts, "A second part."))
        calls = await h.tap(post, _refresh_data(post))
    [edit] = [c for c in calls if c.method == "editMessageText"]
    [extra] = [c for c in calls if c.method == "sendMessage"]
    assert edit.params["message_id"] == post.message_id and "BTC" in edit.params["text"]
    assert not _markup(edit)  # the buttons move to the new last part
    assert extra.params["text"] == "A second part."
    assert _markup(extra)["inline_keyboard"][0][0]["text"] == "🔄 Refresh"
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "text" not in answer.params  # it changed: no "no change" toast


async def test_refresh_of_a_post_that_shrank_edits_the_first_parts_and_deletes_the_rest(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        parts = [c for c in await h.send("/digest") if c.method == "sendMessage"]
        assert len(parts) >= 2
        _serve_parts(h, lambda messages: messages[:1])
        calls = await h.tap(parts[-1], _refresh_data(parts[-1]))
        again = await h.tap(parts[0], _refresh_data(parts[-1]))
    [edit] = [c for c in calls if c.method == "editMessageText"]
    deleted = [c.params["message_id"] for c in calls if c.method == "deleteMessage"]
    assert edit.params["message_id"] == parts[0].message_id
    assert _markup(edit)["inline_keyboard"][0][0]["text"] == "🔄 Refresh"
    assert deleted == [p.message_id for p in parts[1:]]
    assert not [c for c in calls if c.method == "sendMessage"]
    # the one part left is the post now: refreshing it again deletes nothing more
    assert not [c for c in again if c.method in ("deleteMessage", "sendMessage")]
