"""/btc, /eth … with a timeframe: the quick take and that chart; anything else gets a hint."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.market.demo import DemoSource
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import harness


@pytest.fixture
def demo(settings: Settings) -> FlakySource:
    return FlakySource(DemoSource(settings))


async def test_coin_command_with_a_timeframe_sends_the_quick_take_then_that_chart(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        calls = await h.send("/btc 1d")
    [quick] = [c for c in calls if c.method == "sendMessage"]
    [photo] = [c for c in calls if c.method == "sendPhoto"]
    assert "$99,400" in quick.params["text"]
    assert photo.params["caption"].startswith("<b>BTC 1d</b>")
    assert calls.index(quick) < calls.index(photo)


@pytest.mark.parametrize("text", ["/eth 5m", "/eth tomorrow", "/eth 1h 4h"])
async def test_coin_command_with_an_unknown_argument_gets_a_polite_hint(
    settings: Settings, demo: FlakySource, text: str
) -> None:
    async with harness(settings, demo) as h:
        calls = await h.send(text)
    [hint] = [c.params["text"] for c in calls if c.method == "sendMessage"]
    assert not [c for c in calls if c.method == "sendPhoto"]
    assert "1h, 4h or 1d" in hint and "<code>/eth 1d</code>" in hint


async def test_start_help_and_the_digest_each_say_not_financial_advice_once(
    settings: Settings, demo: FlakySource
) -> None:
    async with harness(settings, demo) as h:
        texts = [[c.params["text"] for c in await h.send(command) if c.method == "sendMessage"]
                 for command in ("/start", "/help", "/digest")]
    [start], [help_], digest = texts
    for text in (start, help_, "\n".join(digest)):
        assert text.count("Not financial advice") == 1
    assert "<i>Not financial advice" in start
    assert any("Not financial advice" in part for part in digest[-2:])
