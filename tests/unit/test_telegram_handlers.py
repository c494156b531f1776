"""Every handler through ``Application.process_update`` with a recording request."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.app.codec import ANALYSIS_CODEC
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.storage import Storage
from bot.telegram.handlers.common import TYPING_AFTER_SECONDS
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import ANONYMOUS_ADMIN, harness

GROUP = -100_555


def _with_telegram(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update={"telegram": settings.telegram.model_copy(update=changes)})


def _texts(calls: list) -> list[str]:
    return [c.params.get("text") or c.params.get("caption", "") for c in calls
            if c.method in ("sendMessage", "sendPhoto", "editMessageText")]


def _buttons(call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


@pytest.fixture
def demo(settings: Settings) -> FlakySource:
    return FlakySource(DemoSource(settings))


async def test_start_names_the_covered_symbols(settings: Settings, demo: FlakySource) -> None:
    async with harness(settings, demo) as h:
        [text] = _texts(await h.send("/start"))
    assert "BTC, ETH, SOL" in text
    assert "/help" in text


async def test_command_menu_is_set_at_start_with_one_command_per_symbol(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [menu] = h.request.sent("setMyCommands")
    names = [c["command"] for c in menu.params["commands"]]
    assert names[:5] == ["start", "help", "btc", "eth", "sol"]
    assert "chart" in names and "status" not in names


async def test_help_lists_every_command_with_an_example(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [text] = _texts(await h.send("/help"))
    for example in ("/btc", "/price BTC", "/digest BTC", "/whales BTC", "/levels BTC",
                    "/chart BTC 4h", "/status"):
        assert example in text


async def test_btc_sends_an_html_post_with_refresh_and_chart_buttons(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        calls = await h.send("/btc")
        [post] = [c for c in calls if c.method == "sendMessage"]
        assert post.params["parse_mode"] == "HTML"
        assert "BTC" in post.params["text"] and "$99,400" in post.params["text"]
        labels = [label for label, _ in _buttons(post)]
        assert labels[:2] == ["🔄 Refresh", "📈 Chart 4h"]
        related = [label for label in labels[2:] if not label.startswith("🔔 Alert me")]
        assert 3 <= len(related) <= 5  # related questions under the post
        assert 1 <= len(labels) - 2 - len(related) <= 2  # its levels as one-tap alerts
        assert all(len(data.encode()) <= 64 for _, data in _buttons(post))
        service = h.app.bot_data["market_service"]
        stored = await service.storage.post_for_message(5, h.request.message_ids[id(post)])
        assert stored is not None and stored.symbol == "BTC"


async def test_typing_action_precedes_a_slow_market_reply_and_not_a_quick_one(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        demo.gate = asyncio.Event()
        slow = asyncio.create_task(h.send("/eth"))
        await asyncio.sleep(TYPING_AFTER_SECONDS * 3)
        demo.gate.set()
        await slow
        methods = [c.method for c in h.request.calls]
        h.request.calls.clear()
        await h.send("/eth")  # from memory now
        quick = [c.method for c in h.request.calls]
    assert methods.index("sendChatAction") < methods.index("sendMessage")
    assert "sendMessage" in quick and "sendChatAction" not in quick


async def test_price_of_unknown_symbol_is_refused_and_typo_gets_a_suggestion(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [unknown] = _texts(await h.send("/price XYZ"))
        [typo] = _texts(await h.send("/price etherium"))
        [price] = _texts(await h.send("/price eth"))
    assert "I don't cover <b>XYZ</b>" in unknown and "did you mean" not in unknown
    assert "did you mean <b>ETH</b>?" in typo
    assert price.startswith("<b>ETH</b> $3,496")


async def test_chart_eth_4h_sends_a_png_with_a_short_caption(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        calls = await h.send("/chart eth 4h")
    [photo] = [c for c in calls if c.method == "sendPhoto"]
    assert photo.files["photo"].startswith(b"\x89PNG")
    assert photo.params["caption"].startswith("<b>ETH 4h</b>")
    assert len(photo.params["caption"]) < 200


async def test_chart_with_a_bad_timeframe_explains_the_choices(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [text] = _texts(await h.send("/chart btc 5m"))
    assert "1h, 4h or 1d" in text


async def test_refresh_that_changes_nothing_is_not_an_error(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [post] = [c for c in await h.send("/btc") if c.method == "sendMessage"]
        refresh = _buttons(post)[0][1]
        calls = await h.tap(post, refresh)
        service = h.app.bot_data["market_service"]
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert service.counters.errors == 0


async def test_chart_button_sends_a_chart_of_the_posts_symbol(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [post] = [c for c in await h.send("/eth") if c.method == "sendMessage"]
        calls = await h.tap(post, _buttons(post)[1][1])
    assert calls[0].method == "answerCallbackQuery"
    [photo] = [c for c in calls if c.method == "sendPhoto"]
    assert photo.params["caption"].startswith("<b>ETH 4h</b>")


@pytest.mark.parametrize("data", ["r:999999:q", "c:1:5m", "garbage", "q:1:2"])
async def test_stale_or_unknown_buttons_are_answered_politely(
    settings: Settings, demo: FlakySource, data: str
) -> None:
    async with harness(settings, demo) as h:
        [post] = [c for c in await h.send("/btc") if c.method == "sendMessage"]
        calls = await h.tap(post, data)
    [answer] = calls
    assert answer.method == "answerCallbackQuery"
    assert "old post" in answer.params["text"]


async def test_buttons_work_after_a_restart(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await Storage.open(path, codec=ANALYSIS_CODEC)
    async with harness(settings, FlakySource(DemoSource(settings)), store) as first:
        [post] = [c for c in await first.send("/sol") if c.method == "sendMessage"]
        data = _buttons(post)[1][1]
        old_message = first.bot_message(post)
    await store.close()

    store = await Storage.open(path, codec=ANALYSIS_CODEC)
    try:
        async with harness(settings, FlakySource(DemoSource(settings)), store) as second:
            calls = await second.process({"callback_query": {
                "id": "q-after-restart", "chat_instance": "1", "data": data,
                "from": {"id": 5, "is_bot": False, "first_name": "User"},
                "message": old_message,
            }})
    finally:
        await store.close()
    assert calls[0].method == "answerCallbackQuery" and "text" not in calls[0].params
    assert [c.method for c in calls][-1] == "sendPhoto"


async def test_group_stays_silent_unless_addressed(settings: Settings, demo: FlakySource) -> None:
    async with harness(settings, demo) as h:
        assert await h.send("btc is pumping", chat_id=GROUP) == []
        assert await h.send("/btc@some_other_bot", chat_id=GROUP) == []
        assert await h.send("/nonsense", chat_id=GROUP) == []
        command = _texts(await h.send("/btc", chat_id=GROUP))
        mention = _texts(await h.send("@market_commentator_bot how is eth", chat_id=GROUP))
        [post] = [c for c in await h.send("/sol", chat_id=GROUP) if c.method == "sendMessage"]
        replied = _texts(
            await h.send("and btc?", chat_id=GROUP, reply_to_message=h.bot_message(post))
        )
    assert "BTC" in command[0]
    assert "ETH" in mention[0]
    assert "BTC" in replied[0]


async def test_edited_messages_are_ignored(settings: Settings, demo: FlakySource) -> None:
    async with harness(settings, demo) as h:
        message = h.message("/btc")
        message["edit_date"] = message["date"]
        assert await h.process({"edited_message": message}) == []


async def test_commands_in_a_channel_post_are_answered(
    settings: Settings, demo: FlakySource
) -> None:
    channel = -1_001_234_567_890_123
    async with harness(settings, demo) as h:
        body = h.message("/eth", chat_id=channel)
        del body["from"]
        body["sender_chat"] = body["chat"]
        calls = await h.process({"channel_post": body})
        plain = h.message("good morning", chat_id=channel)
        del plain["from"]
        assert await h.process({"channel_post": plain}) == []
    assert "ETH" in _texts(calls)[0]


async def test_anonymous_group_admin_counts_as_admin(
    settings: Settings, demo: FlakySource
) -> None:
    from telegram import Update

    from bot.telegram.permissions import is_chat_admin

    async with harness(settings, demo) as h:
        body = h.message("/btc", chat_id=GROUP, sender_chat=h._chat(GROUP))
        body["from"] = ANONYMOUS_ADMIN
        update = Update.de_json({"update_id": 1, "message": body}, h.app.bot)
        context = h.app.context_types.context.from_update(update, h.app)
        assert await is_chat_admin(update, context)
        assert "BTC" in _texts(await h.process({"message": body}))[0]
        member = Update.de_json({"update_id": 2, "message": h.message("/x", chat_id=GROUP)},
                                h.app.bot)
        assert not await is_chat_admin(member, h.app.context_types.context.from_update(
            member, h.app))


async def test_allow_list_ignores_other_chats(settings: Settings, demo: FlakySource) -> None:
    async with harness(_with_telegram(settings, allowed_chats=(5,)), demo) as h:
        assert await h.send("/btc", chat_id=6) == []
        assert "BTC" in _texts(await h.send("/btc", chat_id=5))[0]


async def test_status_is_for_operators_only(settings: Settings, demo: FlakySource) -> None:
    async with harness(_with_telegram(settings, operators=(5,)), demo) as h:
        await h.send("/btc")
        [refused] = _texts(await h.send("/status", chat_id=6))
        [status] = _texts(await h.send("/status", chat_id=5))
    assert "for the bot's operators" in refused
    assert "Stored posts: 1" in status and "BTC: snapshot" in status
    assert "Whale watcher: 1 watched address · 0 chats on whale alerts" in status
    assert "Storage: SQLite · scheduler leader: " in status and "(this process)" in status


async def test_venue_down_gets_a_polite_reply(settings: Settings, demo: FlakySource) -> None:
    demo.down = True
    async with harness(settings, demo) as h:
        [text] = _texts(await h.send("/digest eth"))
        service = h.app.bot_data["market_service"]
    assert "isn't answering right now" in text and "<b>ETH</b>" in text
    assert service.counters.errors == 0


async def test_unexpected_failure_is_logged_with_traceback_and_answered(
    settings: Settings, demo: FlakySource, caplog: pytest.LogCaptureFixture
) -> None:
    demo.crash = RuntimeError("boom in the source")
    async with harness(settings, demo) as h:
        [text] = _texts(await h.send("/btc"))
    assert "Something went wrong on my side" in text
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.exc_info is not None and "boom in the source" in str(record.exc_info[1])


async def test_free_text_in_private_chat_gets_a_hint_or_a_quick_take(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [hint] = _texts(await h.send("hello there"))
        [quick] = _texts(await h.send("what about solana?"))
    assert "/help" in hint
    assert quick.startswith("<b>SOL</b>") or "SOL" in quick.splitlines()[0]


async def test_feature_modules_can_add_button_rows_under_posts(
    settings: Settings, demo: FlakySource
) -> None:
    from telegram import InlineKeyboardButton

    async with harness(settings, demo) as h:
        service = h.app.bot_data["market_service"]
        service.button_rows.append(lambda post: [[InlineKeyboardButton(
            q.question[:30], callback_data=f"q:{post.post_id}:{i}")] for i, q in
            enumerate(post.related[:2])])
        calls = await h.send("/digest")
    last = [c for c in calls if c.method == "sendMessage"][-1]
    buttons = _buttons(last)
    assert [label for label, _ in buttons[:2]] == ["🔄 Refresh", "📈 Chart 4h"]
    assert buttons[-2][1].startswith("q:") and buttons[-2][1].endswith(":0")
