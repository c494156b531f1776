"""Schedules and timezones in words through the real handlers: stored canonically, replies say
what was chosen, ambiguous zones get a question and change nothing."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.market.demo import DemoSource
from bot.storage import Storage
from tests.fakes.telegram_harness import harness

CHAT = 5


async def _replies(settings: Settings, *commands: str) -> tuple[list[str], Storage]:
    storage = await Storage.open(":memory:")
    texts: list[str] = []
    async with harness(settings, DemoSource(settings), storage) as h:
        for command in commands:
            calls = await h.send(command)
            texts.extend(c.params["text"] for c in calls if c.method == "sendMessage")
    return texts, storage


@pytest.mark.parametrize(("command", "symbols", "stored", "said"), [
    ("/subscribe eth weekly", ("ETH",), "0 8 * * 1", "(Mondays at 08:00)"),
    ("/subscribe weekly btc", ("BTC",), "0 8 * * 1", "(Mondays at 08:00)"),
    ("/subscribe eth weekly mondays 9am", ("ETH",), "0 9 * * 1", "(Mondays at 09:00)"),
    ("/subscribe btc twice a day", ("BTC",), "0 8,20 * * *", "(every day at 08:00 and 20:00)"),
    ("/subscribe mondays and thursdays 18:00", ("BTC",), "0 18 * * 1,4",
     "(Mondays and Thursdays at 18:00)"),
    ("/subscribe btc every evening", ("BTC",), "daily 18:00", "<code>daily 18:00</code>"),
])
async def test_a_schedule_in_words_is_stored_and_said_back(
    settings: Settings, command: str, symbols: tuple[str, ...], stored: str, said: str
) -> None:
    [reply], storage = await _replies(settings, command)
    subs = await storage.subscriptions.of_chat(CHAT)
    await storage.close()
    assert [(s.symbols, s.schedule) for s in subs] == [(symbols, stored)]
    assert reply.startswith("Subscribed") and said in reply


async def test_a_city_and_an_offset_set_the_zone_and_the_offset_reads_as_utc_plus(
    settings: Settings,
) -> None:
    (city, offset), storage = await _replies(settings, "/timezone new york", "/timezone UTC+3")
    zone = await storage.subscriptions.timezone(CHAT)
    await storage.close()
    assert city.startswith("Timezone set to <b>America/New_York</b>")
    assert offset.startswith("Timezone set to <b>UTC+3 (fixed, no daylight saving)</b>")
    assert zone == "Etc/GMT-3"


async def test_an_ambiguous_abbreviation_gets_a_question_and_keeps_the_zone(
    settings: Settings,
) -> None:
    [question], storage = await _replies(settings, "/timezone EST")
    zone = await storage.subscriptions.timezone(CHAT)
    await storage.close()
    assert zone == "UTC"
    assert question.startswith("<b>EST</b> can mean more than one zone. Which one?")
    assert "<code>/timezone America/New_York</code>" in question
    assert "<code>/timezone UTC-5</code> (a fixed UTC−5, no daylight saving)" in question
