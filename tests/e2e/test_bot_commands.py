"""The real bot, polling the fake Bot API: commands, buttons, groups, channels, restarts."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from tests.e2e.bot_fixtures import GROUP, PRIVATE, api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi

__all__ = ["api"]


async def test_done_when_scenario_in_a_private_chat(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        api.send_text(PRIVATE, "/start")
        api.send_text(PRIVATE, "/help")
        [start, help_] = await api.wait_sent(PRIVATE, 2)
        api.send_text(PRIVATE, "/btc")
        post = (await api.wait_sent(PRIVATE, 3))[2]
        api.send_text(PRIVATE, "/whales")
        whales = (await api.wait_sent(PRIVATE, 4))[3]
        api.send_text(PRIVATE, "/chart eth 4h")
        await api.wait_for(lambda: any(s.photo for s in api.sent_to(PRIVATE)))
        [chart] = [s for s in api.sent_to(PRIVATE) if s.photo]
        api.send_text(PRIVATE, "/price XYZ")
        await api.wait_for(lambda: "XYZ" in api.sent_to(PRIVATE)[-1].text)
        unknown = api.sent_to(PRIVATE)[-1]
        query = api.tap_button(post)
        await api.wait_for(lambda: query in api.callback_answers)
    assert "BTC, ETH, SOL" in start.text
    assert "/chart BTC 4h" in help_.text
    assert "$99,400" in post.text
    assert [b[0] for b in post.buttons][:2] == ["🔄 Refresh", "📈 Chart 4h"]
    assert "whales" in whales.text.lower()
    assert chart.photo is not None and chart.photo.startswith(b"\x89PNG")
    assert chart.text.startswith("<b>ETH 4h</b>")
    assert "I don't cover <b>XYZ</b>" in unknown.text
    assert [c["command"] for c in api.commands][:5] == ["start", "help", "btc", "eth", "sol"]


async def test_refresh_edits_in_place_and_unchanged_content_is_no_error(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        api.send_text(PRIVATE, "/eth")
        [post] = await api.wait_sent(PRIVATE, 1)
        query = api.tap_button(post)
        await api.wait_for(lambda: len(api.method_calls("editMessageText")) == 1)
    assert query in api.callback_answers
    assert api.callback_answers[query]["text"].startswith("No change since this post (as of ")
    assert len(api.sent_to(PRIVATE)) == 1  # no error message, no duplicate post
    assert not any("went wrong" in s.text for s in api.sent)


async def test_group_is_answered_only_when_addressed(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        api.send_text(GROUP, "btc looks heavy today")
        api.send_text(GROUP, "/btc@another_bot")
        api.edit_text(GROUP, 1, "/btc")
        api.send_text(GROUP, "/sol")
        [quick] = await api.wait_sent(GROUP, 1)
        api.send_text(GROUP, "and eth?", reply_to=quick)
        reply = (await api.wait_sent(GROUP, 2))[1]
        api.send_text(GROUP, "@commentator_test_bot btc please")
        mention = (await api.wait_sent(GROUP, 3))[2]
        api.send_text(GROUP, "/help")
        await api.wait_sent(GROUP, 4)
    assert "SOL" in quick.text
    assert "ETH" in reply.text and reply.reply_to is not None
    assert "BTC" in mention.text
    assert len(api.sent_to(GROUP)) == 4


async def test_channel_posts_with_commands_are_answered(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    channel = -1_009_999_000_111
    api.add_chat(channel, "channel", "Market channel")
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        api.channel_post(channel, "gm")
        api.channel_post(channel, "/sol")
        [post] = await api.wait_sent(channel, 1)
    assert "SOL" in post.text


async def test_venue_down_answers_politely_and_recovers(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    source = demo_source(settings)
    source.down = True
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), source):
        api.send_text(PRIVATE, "/digest btc")
        [down] = await api.wait_sent(PRIVATE, 1)
        source.down = False
        api.send_text(PRIVATE, "/digest btc")
        parts = await api.wait_sent(PRIVATE, 2)
    assert "isn't answering right now" in down.text
    assert "Bitcoin" in parts[1].text


async def test_buttons_still_work_after_a_restart(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    conf = bot_settings(settings, tmp_path / "db")
    async with running_bot(api, conf, demo_source(settings)):
        api.send_text(PRIVATE, "/btc")
        [post] = await api.wait_sent(PRIVATE, 1)
    async with running_bot(api, conf, demo_source(settings)):
        query = api.tap_button(post, post.buttons[1][1])
        chart = (await api.wait_sent(PRIVATE, 2))[1]
    assert "text" not in api.callback_answers[query]  # a live button, not a stale one
    assert chart.photo is not None and chart.text.startswith("<b>BTC 4h</b>")


async def test_flood_of_heavy_commands_gets_one_polite_wait(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    import asyncio

    source = demo_source(settings)
    source.gate = asyncio.Event()
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), source):
        for _ in range(6):
            api.send_text(PRIVATE, "/digest")
        await api.wait_for(lambda: any("One moment" in s.text for s in api.sent))
        await asyncio.sleep(0.2)
        source.gate.set()
        await api.wait_for(lambda: sum("Bitcoin" in s.text for s in api.sent) >= 2)
    assert sum("One moment" in s.text for s in api.sent) == 1
    assert len(source.calls) == 2


async def test_a_stalled_venue_does_not_hold_up_other_chats(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    import asyncio

    source = demo_source(settings)
    source.gate = asyncio.Event()
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), source):
        api.send_text(PRIVATE, "/digest")
        await api.wait_for(lambda: bool(source.calls))
        api.send_text(GROUP, "/help")
        [help_] = await api.wait_sent(GROUP, 1)
        waiting = len(api.sent_to(PRIVATE))
        source.gate.set()
        await api.wait_sent(PRIVATE, 1)
    assert "/chart BTC 4h" in help_.text
    assert waiting == 0


async def test_a_chart_already_uploaded_is_sent_again_by_its_file_id(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        api.send_text(PRIVATE, "/chart btc")
        await api.wait_sent(PRIVATE, 1)
        api.send_text(GROUP, "/chart btc")
        await api.wait_sent(GROUP, 1)
        api.send_text(PRIVATE, "/chart btc 1d")
        await api.wait_sent(PRIVATE, 2)
    [first, other_tf] = api.sent_to(PRIVATE)
    [again] = api.sent_to(GROUP)
    assert not first.by_file_id and again.by_file_id
    assert again.file_id == first.file_id and again.photo == first.photo
    assert again.text == first.text and again.text.startswith("<b>BTC 4h</b>")
    assert not other_tf.by_file_id and other_tf.file_id != first.file_id
