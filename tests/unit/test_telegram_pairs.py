"""Cross rates, conversions and timeframe follow-ups through the real Telegram handlers."""

from __future__ import annotations

import pytest

from bot.analysis import analyse
from bot.commentary.formatting import usd
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.telegram.recording import Call
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import harness


def _sent(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage"]


@pytest.fixture
def demo(settings: Settings) -> FlakySource:
    return FlakySource(DemoSource(settings))


async def test_cross_rate_and_conversion_in_a_private_chat(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [cross] = _sent(await h.send("ETH/BTC ratio?"))
        [convert] = _sent(await h.send("0.5 btc in usd"))
    price = analyse(DemoSource(settings).snapshot_now("BTC"), settings).price
    assert price is not None
    assert "<b>ETH/BTC</b> is at <b>0.03517</b>" in cross.params["text"]
    assert "long/short" not in cross.params["text"].lower()
    assert f"<b>{usd(0.5 * price.last, like=1000)}</b>" in convert.params["text"]
    assert f"Price used: 1 BTC = {usd(price.last)}" in convert.params["text"]


async def test_reply_with_a_timeframe_reads_the_answer_on_that_chart(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        [trend] = _sent(await h.send("is btc trending?"))
        [weekly] = _sent(await h.send("what about the weekly?",
                                      reply_to_message=h.bot_message(trend)))
        [four_hour] = _sent(await h.send("4h?", reply_to_message=h.bot_message(trend)))
    assert "I don't compute a weekly chart" in weekly.params["text"]
    assert "On the daily chart" in weekly.params["text"]
    assert "On the four-hour chart" in four_hour.params["text"]
