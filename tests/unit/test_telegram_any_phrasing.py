"""What people type, through the real handlers on the offline demo market: any coin they
name, casual or foreign phrasing, several coins at once, requests the bot cannot do.

Phrasings are written for these tests (not taken from the blind evaluation batches); each
asserts on the text the user sees.
"""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.market.demo import DemoSource
from bot.telegram.recording import Call
from tests.fakes.telegram_harness import harness

NOT_SURE = "I'm not sure what you're asking"


def _texts(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "sendMessage"]


def _demo_no_data(coin: str) -> str:
    return (f"The offline demo market only simulates BTC, ETH and SOL, so I have no <b>{coin}</b>"
            f" data here; with live data {coin} works.")


@pytest.fixture
def demo(settings: Settings) -> DemoSource:
    return DemoSource(settings)


async def _say(settings: Settings, demo: DemoSource, *messages: str) -> list[str]:
    async with harness(settings, demo) as h:
        replies = []
        for text in messages:
            [reply] = _texts(await h.send(text))
            replies.append(reply)
    return replies


@pytest.mark.parametrize(("text", "coin"), [
    ("/shib", "SHIB"), ("/price wld", "WLD"), ("how's pepe today", "PEPE"),
    ("where is ton trading", "TON"), ("near price pls", "NEAR"), ("should i sell dot now?", "DOT"),
    ("/price dogecoin", "DOGE"), ("/subscribe ada daily 08:00", "ADA"),
])
async def test_a_real_coin_the_demo_does_not_simulate_is_said_to_have_no_demo_data(
    settings: Settings, demo: DemoSource, text: str, coin: str
) -> None:
    [reply] = await _say(settings, demo, text)
    assert reply.startswith(_demo_no_data(coin))
    assert "Bitcoin" not in reply and "don't cover" not in reply


async def test_typos_and_made_up_coins_are_not_told_as_missing_demo_data(
    settings: Settings, demo: DemoSource
) -> None:
    typo, made_up = await _say(settings, demo, "/etherium", "/price zzqx")
    assert "did you mean" in typo and "/eth" in typo
    assert made_up == "I don't cover <b>ZZQX</b>. I can talk about BTC, ETH, SOL."


async def test_several_coins_in_one_message_get_one_price_line_each(
    settings: Settings, demo: DemoSource
) -> None:
    bare, listed = await _say(settings, demo, "eth sol btc?", "prices for sol, eth and xrp")
    assert [line.split(" ")[0] for line in bare.splitlines()[:3]] == [
        "<b>ETH</b>", "<b>SOL</b>", "<b>BTC</b>"]
    assert "$3,496" in bare and "$201.51" in bare and "$99,400" in bare
    assert "<b>SOL</b> $201.51" in listed and "<b>ETH</b> $3,496" in listed
    assert ("<b>XRP</b>: no data — the offline demo market only simulates BTC, ETH, SOL"
            in listed)


@pytest.mark.parametrize("text", ["merhaba", "спасибо бро", "buenos dias", "how are you doing?",
                                  "obrigado!", "danke dir"])
async def test_greetings_and_thanks_in_other_languages_get_one_friendly_line(
    settings: Settings, demo: DemoSource, text: str
) -> None:
    [reply] = await _say(settings, demo, text)
    assert "\n" not in reply and NOT_SURE not in reply
    assert reply.startswith(("Hey", "Anytime"))


@pytest.mark.parametrize("text", ["best exchange for euros?", "what tax do i pay on crypto gains",
                                  "can i join your premium signals chat"])
async def test_advice_the_bot_does_not_give_gets_one_honest_line_and_the_nearest_offer(
    settings: Settings, demo: DemoSource, text: str
) -> None:
    [reply] = await _say(settings, demo, text)
    assert reply.startswith("That's outside what I do") and "<code>/btc</code>" in reply
    assert "\n" not in reply


async def test_a_market_message_the_matcher_cannot_place_gets_the_price_saying_so(
    settings: Settings, demo: DemoSource
) -> None:
    market, deal, noise = await _say(settings, demo, "crypto market status?",
                                     "what's the deal with eth lately", "blorp fizz wibble")
    assert deal.startswith("<i>I read that as a question about ETH&#39;s price and move")
    assert "Ethereum trades at <b>$3,496</b>" in deal
    assert "Bitcoin trades at <b>$99,400</b>" in market
    assert noise.startswith(NOT_SURE)


async def test_a_conversion_into_another_currency_is_answered_in_dollars_saying_so(
    settings: Settings, demo: DemoSource
) -> None:
    [reply] = await _say(settings, demo, "3 sol in euros?")
    [held] = await _say(settings, demo, "i have 2 sol, how much is it in euro?")
    [lira] = await _say(settings, demo, "1000 try to btc")
    assert reply.startswith("I convert in US dollars only — I have no EUR rate")
    assert "3 SOL is about <b>$605</b>" in reply and "1 SOL = $201.51" in reply
    assert held.startswith("I convert in US dollars only — I have no EUR rate")
    assert "2 SOL is about <b>$403</b>" in held and "💬" not in held
    # a lira amount is never read as dollars: the coin's dollar price, saying so
    assert lira.startswith("I convert in US dollars only — I have no TRY rate")
    assert "Bitcoin trades at <b>$99,400</b>" in lira and "1,000" not in lira


async def test_timeframes_in_words_read_that_chart_or_say_the_nearest(
    settings: Settings, demo: DemoSource
) -> None:
    monthly, four_hour = await _say(settings, demo, "what about the monthly for eth",
                                    "give me the four hour view of btc")
    assert monthly.startswith("I don't compute a monthly chart")
    assert "Here is the daily" in monthly
    assert four_hour.startswith("On the four-hour chart")


async def test_questions_joined_with_plus_are_each_answered(
    settings: Settings, demo: DemoSource
) -> None:
    [reply] = await _say(settings, demo, "btc funding + oi + whales")
    assert reply.count("💬") == 3
    assert "Funding on Bitcoin" in reply and "Open interest in Bitcoin" in reply


async def test_schedules_in_other_languages_echo_the_schedule_understood(
    settings: Settings, demo: DemoSource
) -> None:
    german, twice = await _say(settings, demo, "jeden morgen um 7 eth schicken bitte",
                               "could you post sol morning and evening")
    assert "ETH updates daily 07:00" in german
    assert "SOL updates twice a day" in twice


async def test_a_city_after_subscribe_sets_the_zone_of_the_digest(
    settings: Settings, demo: DemoSource
) -> None:
    [reply] = await _say(settings, demo, "/subscribe sol daily 07:30 berlin")
    assert reply.startswith("Subscribed <b>#1</b>: SOL digests, <code>daily 07:30</code> in "
                            "Europe/Berlin.")


async def test_questions_about_the_bot_and_stated_zones_get_one_line(
    settings: Settings, demo: DemoSource
) -> None:
    who, zone, city = await _say(settings, demo, "are you a human or a bot?",
                                 "my time zone is UTC-5", "i am based in tokyo")
    assert who.startswith("I'm a bot that comments on the crypto market") and "\n" not in who
    assert zone == ("I understood the time zone utc-5: send <code>/timezone utc-5</code> to use "
                    "it for this chat's digests.")
    assert "<code>/timezone Asia/Tokyo</code>" in city


async def test_a_schedule_request_with_several_coins_and_a_city_is_echoed_whole(
    settings: Settings, demo: DemoSource
) -> None:
    both, city = await _say(settings, demo, "twice a day for eth and sol please",
                            "send btc every evening at 7pm london time")
    assert "ETH,SOL updates twice a day" in both and "💬" not in both
    assert "<code>/subscribe btc daily 19:00 Europe/London</code>" in city


async def test_lists_compliments_and_requests_to_trade_are_understood(
    settings: Settings, demo: DemoSource
) -> None:
    listed, praise, trade, alive = await _say(
        settings, demo, "px for uni, link and wif",
        "honestly you are so much better than my broker",
        "please place a 5x short on sol for me", "hello?? anyone here")
    assert "<b>LINK</b>: no data" in listed and "<b>WIF</b>: no data" in listed
    assert praise == "Anytime! Ask again whenever you like."
    assert trade.startswith("That's outside what I do")
    assert alive.startswith("Hey")


async def test_far_years_minute_charts_and_digest_times_are_answered_honestly(
    settings: Settings, demo: DemoSource
) -> None:
    year, minutes, when = await _say(settings, demo, "sol on 31 dec 2031?", "eth 30m chart pls",
                                     "what time do the digests go out here?")
    assert year.startswith("I don't predict that far ahead")
    assert minutes.startswith("I don't compute a 30-minute chart")
    assert "Here is the hourly" in minutes
    assert when.startswith("<code>/subscriptions</code> lists this chat's digests")


async def test_a_schedule_with_minutes_and_weekdays_is_echoed_exactly(
    settings: Settings, demo: DemoSource
) -> None:
    [reply] = await _say(settings, demo, "could i get eth updates on weekdays around 7.45 pm")
    assert "ETH updates weekdays 19:45" in reply


async def test_a_city_followed_by_time_after_subscribe_is_the_zone(
    settings: Settings, demo: DemoSource
) -> None:
    [reply] = await _say(settings, demo, "/subscribe eth weekdays 18:00 tokyo time")
    assert "ETH digests, <code>weekdays 18:00</code> in Asia/Tokyo." in reply
