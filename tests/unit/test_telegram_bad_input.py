"""Hostile and clumsy input: every reply is polite, valid Telegram HTML, and nothing breaks.

Each update goes through the real handlers (``Application.process_update``); a reply
Telegram would reject (bad markup, over 4096 characters) or an unhandled exception
(counted by the error handler) fails the test, and rejected input changes nothing stored.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.config import Settings
from bot.market.demo import DemoSource
from bot.telegram.flood import FloodGuard
from bot.telegram.handlers.common import SERVICE_KEY
from bot.telegram.recording import Call
from bot.telegram.services import BotService
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import Harness, harness
from tests.fakes.telegram_rules import check_text, parse_html

GROUP = -100_555
CHANNEL = -1_001_234_567_890
HUGE = "Z" * 5000


@pytest.fixture
def demo(settings: Settings) -> FlakySource:
    return FlakySource(DemoSource(settings))


def _service(h: Harness) -> BotService:
    service = h.app.bot_data[SERVICE_KEY]
    assert isinstance(service, BotService)
    return service


def _valid_texts(calls: list[Call]) -> list[str]:
    """The texts the user sees; each must pass Telegram's checks."""
    texts = []
    for call in calls:
        if call.method not in ("sendMessage", "sendPhoto", "editMessageText"):
            continue
        field = "caption" if call.method == "sendPhoto" else "text"
        text = call.params.get(field, "")
        problem = check_text(text, call.params.get("parse_mode"),
                             limit=1024 if field == "caption" else 4096, field=field)
        assert problem is None, f"{problem}: {text[:200]!r}"
        texts.append(text)
    return texts


async def _say(h: Harness, text: str, chat_id: int = 5) -> str:
    """Send ``text``; the one reply, checked; no unhandled error."""
    [reply] = _valid_texts(await h.send(text, chat_id=chat_id))
    assert _service(h).counters.errors == 0
    return reply


@pytest.mark.parametrize("command", [
    f"/price {HUGE}", f"/chart {HUGE} 4h", f"/timezone {HUGE}", f"/subscribe {HUGE}",
    f"/subscribe btc daily {'9' * 3000}",
])
async def test_a_huge_argument_is_echoed_shortened_in_one_valid_message(
    settings: Settings, demo: FlakySource, command: str
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, command)
        assert await _service(h).storage.subscriptions.count(5) == 0
    assert "…" in text
    assert len(text) < 400


async def test_a_huge_unknown_subscription_id_is_echoed_shortened(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        await _say(h, "/subscribe btc daily 08:00")
        text = await _say(h, f"/unsubscribe {'9' * 5000}")
        assert await _service(h).storage.subscriptions.count(5) == 1
    assert text.startswith("There is no subscription <b>9999")
    assert "…</b>" in text and "Its ids: 1." in text


@pytest.mark.parametrize("typed", [
    "BTC/USDT", "btc-usdt", "BTC/USDT:USDT", "btc_usd", "\u200fbtc", "b\u200dtc", "$btc\u200b",
    "\u202ebtc", "\x01btc", "ＢＴＣ",
])
async def test_pair_notation_and_invisible_characters_still_find_the_coin(
    settings: Settings, demo: FlakySource, typed: str
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, f"/price {typed}")
    assert text.startswith("<b>BTC</b> $99,400")


@pytest.mark.parametrize("command", [
    "/price {x}", "/chart {x} 4h", "/digest {x}", "/subscribe {x} daily 08:00",
    "/timezone {x}", "/subscribe btc daily {x}",
])
@pytest.mark.parametrize("markup", ["<b>", "</code>", "&", "&amp;", '<a href="http://x">y</a>'])
async def test_markup_in_arguments_is_escaped(
    settings: Settings, demo: FlakySource, command: str, markup: str
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, command.format(x=markup))
    visible, _ = parse_html(text)
    assert visible is not None
    shown = markup.split()[0].upper() in visible.upper()  # the user's markup, as plain text
    assert shown or text.startswith("A chart takes one coin and one timeframe")


async def test_chart_with_repeated_symbols_explains_one_coin_and_one_timeframe(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, "/chart eth eth eth")
    assert text == ("A chart takes one coin and one timeframe — 1h, 4h or 1d — for example "
                    "<code>/chart btc 4h</code>.")


@pytest.mark.parametrize(("schedule", "shown"), [
    ("* * *", "I can't read the schedule <b>* * *</b>"),
    ("btc 0 8 * * 8", "<b>8</b> is not a valid cron field"),
    ("every 0h", "<b>every 0h</b> does not split a day evenly"),
    ("daily 25:00", "<b>daily 25:00</b> needs a time of day such as 08:00"),
    ("weekdays", "<b>weekdays</b> needs a time of day"),
    ("btc 4h", "I can't read the schedule <b>4h</b>"),
    ("8am", "I can't read the schedule <b>8am</b>"),
    ("btc 08:00", "I can't read the schedule <b>08:00</b>"),
])
async def test_a_malformed_schedule_is_explained_and_nothing_is_stored(
    settings: Settings, demo: FlakySource, schedule: str, shown: str
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, f"/subscribe {schedule}")
        assert await _service(h).storage.subscriptions.count(5) == 0
    assert text.startswith(shown)
    assert "Examples:" in text


async def test_subscribing_twice_to_the_same_digest_points_at_the_existing_one(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        await _say(h, "/subscribe btc every 4h")
        text = await _say(h, "/subscribe bitcoin every 4h")
        subs = await _service(h).storage.subscriptions.of_chat(5)
    assert text.startswith("This chat already gets BTC digests <code>every 4h</code> as <b>#1</b>")
    assert [s.id for s in subs] == [1]


async def test_subscriptions_beyond_the_cap_are_refused_and_not_stored(
    settings: Settings, demo: FlakySource
) -> None:
    cap = settings.schedule.max_subscriptions_per_chat
    async with harness(settings, demo) as h:
        for minute in range(cap):
            await _say(h, f"/subscribe btc {minute} 8 * * *")
        text = await _say(h, "/subscribe eth daily 09:00")
        assert await _service(h).storage.subscriptions.count(5) == cap
    assert text.startswith(f"This chat already has {cap} digest subscriptions")


async def test_pausing_twice_and_resuming_twice_say_so(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        await _say(h, "/subscribe eth daily 08:00")
        first_pause, second_pause = await _say(h, "/pause"), await _say(h, "/pause")
        first_resume, second_resume = await _say(h, "/resume"), await _say(h, "/resume")
        [sub] = await _service(h).storage.subscriptions.of_chat(5)
    assert first_pause.startswith("Digests paused.")
    assert second_pause.startswith("Digests here are already paused.")
    assert first_resume.startswith("Digests resumed.")
    assert second_resume.startswith("Digests here are not paused, nothing to resume.")
    assert not sub.paused


@pytest.mark.parametrize("command", ["/resume", "/pause", "/unsubscribe 999", "/unsubscribe abc",
                                     "/unsubscribe -1", "/unsubscribe all"])
async def test_subscription_commands_without_subscriptions_suggest_subscribing(
    settings: Settings, demo: FlakySource, command: str
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, command)
    assert text == ("This chat has no digest subscriptions. Try "
                    "<code>/subscribe BTC daily 08:00</code>.")


@pytest.mark.parametrize("wanted", ["999", "abc", "-1"])
async def test_unsubscribing_an_unknown_id_lists_the_real_ones_and_keeps_them(
    settings: Settings, demo: FlakySource, wanted: str
) -> None:
    async with harness(settings, demo) as h:
        await _say(h, "/subscribe btc daily 08:00")
        text = await _say(h, f"/unsubscribe {wanted}")
        assert await _service(h).storage.subscriptions.count(5) == 1
    assert text == f"There is no subscription <b>{wanted}</b> in this chat. Its ids: 1."


@pytest.mark.parametrize(("zone", "shown"), [
    ("Mars/Olympus", "I don't know the timezone <b>Mars/Olympus</b>"),
    ("UTC+5:30", "<b>UTC+5:30</b> is a UTC offset"),
])
async def test_a_junk_timezone_is_refused_and_the_old_one_kept(
    settings: Settings, demo: FlakySource, zone: str, shown: str
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, f"/timezone {zone}")
        kept = await _service(h).storage.subscriptions.timezone(5)
    assert text.startswith(shown)
    assert kept == "UTC"


@pytest.mark.parametrize("data", ["r:999999:q", "q:abc", "c:1:15m", "r:" + "9" * 62, "", "x" * 64])
async def test_forged_or_stale_buttons_get_a_polite_alert(
    settings: Settings, demo: FlakySource, data: str
) -> None:
    async with harness(settings, demo) as h:
        [post] = [c for c in await h.send("/btc") if c.method == "sendMessage"]
        calls = await h.tap(post, data)
        assert _service(h).counters.errors == 0
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params["text"].startswith("This button belongs to an old post")
    assert [c.method for c in calls] == ["answerCallbackQuery"]


@pytest.mark.parametrize("command", ["/btc", "/price eth", "/chart sol", "/digest", "/whales",
                                     "/levels", "/ask is btc bullish", "what is the funding"])
async def test_every_market_request_with_every_venue_down_is_answered_politely(
    settings: Settings, demo: FlakySource, command: str
) -> None:
    demo.down = True
    async with harness(settings, demo) as h:
        text = await _say(h, command)
    assert text.startswith("The market data source isn't answering right now")


async def test_huge_messages_and_questions_get_one_ordinary_answer(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        rambling = await _say(h, "x" * 100_000)
        long_ask = await _say(h, "/ask " + " ".join(["is btc <b>bullish</b> & why?"] * 180))
    assert rambling.startswith("I'm not sure what you're asking.")
    assert long_ask.startswith("Our read on Bitcoin right now is <b>bearish</b>")


@pytest.mark.parametrize("text", ["btc looks heavy", "is btc bullish?", "/btc@otherbot",
                                  "/price@otherbot btc", "/", "/@otherbot"])
async def test_a_group_message_not_addressed_to_the_bot_is_ignored(
    settings: Settings, demo: FlakySource, text: str
) -> None:
    async with harness(settings, demo) as h:
        calls = await h.send(text, chat_id=GROUP)
    assert calls == []


@pytest.mark.parametrize(("text", "shown"), [
    ("/price <b>x</b>", "I don't cover <b>&lt;B&gt;X&lt;/B&gt;</b>"),
    ("/subscribe * * *", "I can't read the schedule <b>* * *</b>"),
    ("/timezone Mars/Olympus", "I don't know the timezone <b>Mars/Olympus</b>"),
    ("/chart 💩", "I don't cover <b>💩</b>"),
])
async def test_bad_input_in_a_channel_post_gets_the_same_reply(
    settings: Settings, demo: FlakySource, text: str, shown: str
) -> None:
    async with harness(settings, demo) as h:
        body = h.message(text, chat_id=CHANNEL)
        del body["from"]
        body["sender_chat"] = {"id": CHANNEL, "type": "channel", "title": "Test"}
        [reply] = _valid_texts(await h.process({"channel_post": body}))
        assert await _service(h).storage.subscriptions.count(CHANNEL) == 0
    assert reply.startswith(shown)


async def test_a_question_with_invisible_characters_finds_its_coin(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, "/ask what is the funding on \u200fe\u200dth?")
    assert text.startswith("Funding on Ethereum perpetuals")


async def test_a_coin_starting_with_a_digit_is_not_mistaken_for_a_schedule(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        text = await _say(h, "/subscribe 1inch")
        assert await _service(h).storage.subscriptions.count(5) == 0
    assert text == ("The offline demo market only simulates BTC, ETH and SOL, so I have no "
                    "<b>1INCH</b> data here; with live data 1INCH works. "
                    "<code>/subscribe btc</code> works here.")


async def test_simultaneous_subscribes_never_pass_the_cap_or_duplicate(
    settings: Settings, demo: FlakySource
) -> None:
    cap = settings.schedule.max_subscriptions_per_chat
    async with harness(settings, demo) as h:
        _service(h).flood = FloodGuard(max_requests=100)  # 20 at once: the cap is tested here
        await asyncio.gather(*(h.send("/subscribe eth every 4h") for _ in range(5)))
        await asyncio.gather(*(h.send(f"/subscribe btc {m} 8 * * *") for m in range(cap + 5)))
        stored = await _service(h).storage.subscriptions.of_chat(5)
        replies = _valid_texts(h.request.calls)
    assert len(stored) == cap
    assert sum(r.startswith("Subscribed") for r in replies) == cap
    assert sum(r.startswith("This chat already gets ETH digests") for r in replies) == 4
    assert sum(r.startswith(f"This chat already has {cap} digest") for r in replies) == 6


async def test_a_group_reply_is_still_sent_when_the_command_was_deleted_meanwhile(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [call] = await h.send("/price xyz", chat_id=GROUP)
    assert call.params["text"] == "I don't cover <b>XYZ</b>. I can talk about BTC, ETH, SOL."
    assert call.params["reply_parameters"]["allow_sending_without_reply"] is True
