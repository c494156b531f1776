"""Follow-up questions against the fake Bot API: taps, replies, "and eth?", restarts, groups."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.analysis import Analysis, analyse
from bot.commentary import render_answer
from bot.commentary.formatting import number
from bot.config import Settings
from bot.market.demo import DEMO_END, DemoSource
from tests.e2e.bot_fixtures import GROUP, PRIVATE, api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi

__all__ = ["api"]
EARLIER = DEMO_END - timedelta(hours=6)


def _analysis(settings: Settings, symbol: str, at: datetime = DEMO_END) -> Analysis:
    return analyse(DemoSource(settings, at).snapshot_now(symbol), settings)


def _score(analysis: Analysis) -> str:
    assert analysis.bias is not None
    return "score " + number(analysis.bias.score, digits=2)


async def test_done_when_btc_tap_reply_why_and_eth_each_from_the_right_snapshot(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    source = demo_source(settings)
    source.demo.as_of = EARLIER
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), source):
        api.send_text(PRIVATE, "/btc")
        [post] = await api.wait_sent(PRIVATE, 1)
        source.demo.as_of = DEMO_END  # the market moves on after the post
        label, data = next(b for b in post.buttons if b[1].startswith("q:"))
        query = api.tap_button(post, data)
        tapped = (await api.wait_sent(PRIVATE, 2))[1]
        api.send_text(PRIVATE, "why?", reply_to=post)
        why = (await api.wait_sent(PRIVATE, 3))[2]
        api.send_text(PRIVATE, "and eth?")
        eth = (await api.wait_sent(PRIVATE, 4))[3]
    then = _analysis(settings, "BTC", EARLIER)
    assert query in api.callback_answers
    assert tapped.text.startswith(f"<b>{label}</b>")
    assert render_answer(data.split(":")[2], then, "html") in tapped.text
    assert _score(then) in why.text and _score(_analysis(settings, "BTC")) not in why.text
    assert "From my post of 1 Mar 2026, 06:00 UTC" in why.text
    assert eth.text == render_answer("bias", _analysis(settings, "ETH"), "html")


async def test_reply_to_a_post_made_before_a_restart_is_answered_from_it(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    conf = bot_settings(settings, tmp_path / "db")
    before = demo_source(settings)
    before.demo.as_of = EARLIER
    async with running_bot(api, conf, before):
        api.send_text(PRIVATE, "/eth")
        [post] = await api.wait_sent(PRIVATE, 1)
    async with running_bot(api, conf, demo_source(settings)):
        api.send_text(PRIVATE, "what's the bias?", reply_to=post)
        answer = (await api.wait_sent(PRIVATE, 2))[1]
        data = next(d for _, d in post.buttons if d.startswith("q:"))
        query = api.tap_button(post, data)
        tapped = (await api.wait_sent(PRIVATE, 3))[2]
    then = _analysis(settings, "ETH", EARLIER)
    assert _score(then) in answer.text and "From my post of" in answer.text
    assert "text" not in api.callback_answers[query]  # a live button, not a stale one
    assert render_answer(data.split(":")[2], then, "html") in tapped.text


async def test_group_answers_replies_and_mentions_only(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        api.send_text(GROUP, "/btc")
        [post] = await api.wait_sent(GROUP, 1)
        api.send_text(GROUP, "why is btc bearish?")
        api.send_text(GROUP, "what's the funding on eth")
        api.send_text(GROUP, "why?", reply_to=post)
        reply = (await api.wait_sent(GROUP, 2))[1]
        api.send_text(GROUP, "@commentator_test_bot funding on eth?")
        mention = (await api.wait_sent(GROUP, 3))[2]
        api.send_text(GROUP, "/ask where is support for sol")
        asked = (await api.wait_sent(GROUP, 4))[3]
    assert _score(_analysis(settings, "BTC")) in reply.text
    assert mention.text == render_answer("funding", _analysis(settings, "ETH"), "html")
    assert asked.text == render_answer("support", _analysis(settings, "SOL"), "html")
    assert len(api.sent_to(GROUP)) == 4  # the two unaddressed questions got nothing
