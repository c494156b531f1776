"""Conversation through the real handlers: who gets small talk, what several questions get."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.market.demo import DemoSource
from bot.telegram.recording import Call
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import harness

GROUP = -100_777
BOT = "@market_commentator_bot"


def _texts(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "sendMessage"]


@pytest.fixture
def demo(settings: Settings) -> FlakySource:
    return FlakySource(DemoSource(settings))


async def test_small_talk_is_answered_in_private_and_in_groups_only_when_addressed(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [private] = _texts(await h.send("gm"))
        group_gm = _texts(await h.send("gm", chat_id=GROUP))
        group_thanks = _texts(await h.send("thanks", chat_id=GROUP))
        [mentioned] = _texts(await h.send(f"gm {BOT}", chat_id=GROUP))
        [bot_line] = [c for c in await h.send(f"{BOT} hi", chat_id=GROUP)
                      if c.method == "sendMessage"]
        [replied] = _texts(await h.send("ty", chat_id=GROUP,
                                        reply_to_message=h.bot_message(bot_line)))
    assert private.startswith("Hey") and "\n" not in private
    assert group_gm == group_thanks == []
    assert mentioned.startswith("Hey") and "\n" not in mentioned
    assert replied == "Anytime! Ask again whenever you like."


async def test_stop_requests_point_to_the_commands_and_change_nothing(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        await h.send("/subscribe btc daily 08:00")
        [stop] = _texts(await h.send("stop sending me stuff"))
        [listed] = _texts(await h.send("/subscriptions"))
    assert "<code>/unsubscribe</code>" in stop and "<code>/pause</code>" in stop
    assert "\n" not in stop
    assert "08:00" in listed  # still subscribed: only the command unsubscribes


async def test_cannot_do_requests_get_one_line_and_the_nearest_offer(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [alert] = _texts(await h.send("do you do alerts?"))
        [subscribe] = _texts(await h.send("send me eth every morning at 8"))
        [index] = _texts(await h.send("btc dominance?"))
    assert alert.startswith("Price alerts are commands: <code>/alert btc above PRICE</code>")
    assert "<code>/levels btc</code>" in alert
    assert "<code>/subscribe eth daily 08:00</code>" in subscribe
    assert index.startswith("I have no source for that index") and "\n" not in index


async def test_opinion_questions_get_the_read_the_odds_and_a_not_advice_note(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [cooked] = _texts(await h.send("is sol cooked?"))
    assert cooked.startswith("Our read on Solana right now is <b>bearish</b>")
    assert "comparable setups" in cooked or "no call on the days ahead" in cooked
    assert cooked.rstrip().endswith(
        "<i>Not financial advice: this is our read of the numbers and what the record shows, "
        "not a call to trade.</i>")


async def test_three_questions_of_a_long_message_are_answered_and_the_rest_named(
    settings: Settings, demo: FlakySource
) -> None:
    filler = ("sorry for the long message, been away all week at my cousins wedding and "
              "only now catching up with everything in here, so quick one: ")
    text = (f"{filler}what's the btc price? {filler}and funding? {filler}also whales? "
            f"{filler}where is support? {filler}what about volume?")
    assert 700 < len(text) < 800
    async with harness(settings, demo) as h:
        [reply] = _texts(await h.send(text))
        [short] = _texts(await h.send("eth price and funding? also <b>whales</b>?"))
    heads = [line for line in reply.splitlines() if line.startswith("💬 ")]
    assert len(heads) == 4
    assert "Bitcoin trades at <b>$" in reply and "Funding on Bitcoin" in reply
    assert "tracked addresses" in reply and "support" in heads[3]
    assert "I answer four questions at a time; skipped:" in reply
    assert "what about volume" in reply.splitlines()[-1]
    assert [line for line in short.splitlines() if line.startswith("💬 ")] == [
        "💬 <b>eth price?</b>", "💬 <b>funding?</b>", "💬 <b>&lt;b&gt;whales&lt;/b&gt;?</b>"]
    assert "Ethereum trades at <b>$" in short


async def test_an_opinion_among_several_questions_still_gets_the_note(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [reply] = _texts(await h.send("btc funding? should i long eth here?"))
    assert [line for line in reply.splitlines() if line.startswith("💬 ")] == [
        "💬 <b>btc funding?</b>", "💬 <b>should i long eth here?</b>"]
    assert "Our read on Ethereum right now is <b>bearish</b>" in reply
    assert reply.rstrip().endswith("not a call to trade.</i>")
