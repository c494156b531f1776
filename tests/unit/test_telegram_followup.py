"""Follow-up questions through the real handlers (``process_update`` + recording request)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.analysis import Analysis, analyse
from bot.app.codec import ANALYSIS_CODEC
from bot.commentary import render_answer
from bot.commentary.formatting import number, usd
from bot.config import Settings
from bot.market.demo import DEMO_END, DemoSource
from bot.storage import Storage
from bot.telegram.recording import Call
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import Harness, harness

GROUP = -100_555
EARLIER = DEMO_END - timedelta(hours=6)


def _texts(calls: list[Call]) -> list[str]:
    return [c.params.get("text") or c.params.get("caption", "") for c in calls
            if c.method in ("sendMessage", "sendPhoto", "editMessageText")]


def _buttons(call: Call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", [])
            for b in row]


def _analysis(settings: Settings, symbol: str, at: datetime = DEMO_END) -> Analysis:
    return analyse(DemoSource(settings, at).snapshot_now(symbol), settings)


def _score(analysis: Analysis) -> str:
    assert analysis.bias is not None
    return "score " + number(analysis.bias.score, digits=2)


@pytest.fixture
def demo(settings: Settings) -> FlakySource:
    return FlakySource(DemoSource(settings))


async def _post(h: Harness, command: str, chat_id: int = 5) -> Call:
    [post] = [c for c in await h.send(command, chat_id=chat_id) if c.method == "sendMessage"]
    return post


async def test_posts_carry_three_to_five_related_question_buttons(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        post = await _post(h, "/btc")
    questions = [(label, data) for label, data in _buttons(post) if data.startswith("q:")]
    assert 3 <= len(questions) <= 5
    assert all(len(data.encode()) <= 64 for _, data in questions)
    assert all(label.endswith("?") for label, _ in questions)


async def test_tap_on_a_related_question_answers_from_the_tapped_post(
    settings: Settings, demo: FlakySource
) -> None:
    demo.demo.as_of = EARLIER
    async with harness(settings, demo) as h:
        post = await _post(h, "/btc")
        demo.demo.as_of = DEMO_END
        label, data = next(b for b in _buttons(post) if b[1].startswith("q:"))
        calls = await h.tap(post, data)
    intent = data.split(":")[2]
    [answer] = _texts(calls)
    assert calls[0].method == "answerCallbackQuery"
    assert answer.startswith(f"<b>{label}</b>")
    assert render_answer(intent, _analysis(settings, "BTC", EARLIER), "html") in answer
    assert "From my post of 1 Mar 2026, 06:00 UTC" in answer


async def test_reply_why_to_an_older_post_uses_that_posts_numbers_and_says_when(
    settings: Settings, demo: FlakySource
) -> None:
    demo.demo.as_of = EARLIER
    async with harness(settings, demo) as h:
        post = await _post(h, "/btc")
        demo.demo.as_of = DEMO_END
        [why] = _texts(await h.send("why?", reply_to_message=h.bot_message(post)))
        [plain] = _texts(await h.send("why bearish?"))
    then, now = _analysis(settings, "BTC", EARLIER), _analysis(settings, "BTC")
    assert _score(then) in why and _score(now) not in why
    assert "From my post of" in why
    assert _score(now) in plain and "From my post of" not in plain


async def test_reply_to_a_current_post_has_no_as_of_note(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        post = await _post(h, "/eth")
        [why] = _texts(await h.send("why?", reply_to_message=h.bot_message(post)))
    assert _score(_analysis(settings, "ETH")) in why
    assert "From my post of" not in why


async def test_and_eth_repeats_the_last_question_for_the_new_coin(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        await h.send("where is support for btc?")
        [support_eth] = _texts(await h.send("and eth?"))
        [same_sol] = _texts(await h.send("same for solana"))
    assert support_eth == render_answer("support", _analysis(settings, "ETH"), "html")
    assert same_sol == render_answer("support", _analysis(settings, "SOL"), "html")


async def test_chat_context_survives_a_restart(settings: Settings, tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    store = await Storage.open(db, codec=ANALYSIS_CODEC)
    try:
        async with harness(settings, FlakySource(DemoSource(settings)), store) as h:
            await h.send("what's the funding on btc?")
    finally:
        await store.close()
    store = await Storage.open(db, codec=ANALYSIS_CODEC)
    try:
        async with harness(settings, FlakySource(DemoSource(settings)), store) as h:
            [answer] = _texts(await h.send("and eth?"))
    finally:
        await store.close()
    assert answer == render_answer("funding", _analysis(settings, "ETH"), "html")


async def test_tap_and_reply_on_a_post_made_before_a_restart(
    settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.db"
    store = await Storage.open(db, codec=ANALYSIS_CODEC)
    try:
        async with harness(settings, FlakySource(DemoSource(settings, EARLIER)), store) as h:
            post = await _post(h, "/btc")
            bot_message = h.bot_message(post)
    finally:
        await store.close()
    store = await Storage.open(db, codec=ANALYSIS_CODEC)
    try:
        async with harness(settings, FlakySource(DemoSource(settings)), store) as h:
            [why] = _texts(await h.send("why?", reply_to_message=bot_message))
            data = next(d for _, d in _buttons(post) if d.startswith("q:"))
            tap = _texts(await h.process({"callback_query": {
                "id": "q-restart", "chat_instance": "1", "data": data,
                "from": {"id": 5, "is_bot": False, "first_name": "User"},
                "message": bot_message}}))
    finally:
        await store.close()
    then = _analysis(settings, "BTC", EARLIER)
    assert _score(then) in why and "From my post of" in why
    assert render_answer(data.split(":")[2], then, "html") in tap[0]


async def test_stale_question_button_is_answered_politely(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        post = await _post(h, "/btc")
        calls = await h.tap(post, "q:999999:bias")
    [answer] = calls
    assert answer.method == "answerCallbackQuery"
    assert "old post" in answer.params["text"]


async def test_group_answers_replies_and_mentions_and_ignores_the_rest(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        post = await _post(h, "/btc", chat_id=GROUP)
        ignored = await h.send("why is btc bearish?", chat_id=GROUP)
        [reply] = _texts(await h.send("why?", chat_id=GROUP,
                                      reply_to_message=h.bot_message(post)))
        [mention] = _texts(await h.send("@market_commentator_bot price of sol?",
                                        chat_id=GROUP))
        [asked] = _texts(await h.send("/ask funding eth", chat_id=GROUP))
    assert ignored == []
    assert _score(_analysis(settings, "BTC")) in reply
    sol = _analysis(settings, "SOL")
    assert sol.price is not None and usd(sol.price.last) in mention
    assert asked == render_answer("funding", _analysis(settings, "ETH"), "html")


async def test_unsupported_coin_and_unknown_questions_get_polite_replies(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [doge] = _texts(await h.send("what's the price of doge?"))
        [airdrop] = _texts(await h.send("when airdrop?"))
        [unknown] = _texts(await h.send("zorp blix quand?"))
        [empty_ask] = _texts(await h.send("/ask"))
    assert doge.startswith("The offline demo market only simulates BTC, ETH and SOL, so I have "
                           "no <b>DOGE</b> data here; with live data DOGE works.")
    assert airdrop.startswith("I don't read the news") and "<code>/btc</code>" in airdrop
    assert "I can answer" in unknown and "/help" in unknown
    assert "what is ADX?" in empty_ask


async def test_bare_coin_without_context_gets_the_quick_take(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [quick] = _texts(await h.send("what about solana?"))
    assert quick.startswith("<b>SOL $")


async def test_and_sol_replying_to_an_answer_repeats_that_answers_question(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [answer] = [c for c in await h.send("whales on btc?") if c.method == "sendMessage"]
        await h.send("funding on eth?")
        [sol] = _texts(await h.send("and sol?", reply_to_message=h.bot_message(answer)))
    assert sol == render_answer("whales", _analysis(settings, "SOL"), "html")
