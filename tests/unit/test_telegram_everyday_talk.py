"""How casual holders and newcomers talk, through the real handlers on the offline demo
market: small talk about the bot, opinion questions in plain words, requests the bot cannot
do, schedules and alerts in words (several languages), chart timeframes it does not compute
and long messages mixing all of these.

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
READ = "Our read on "
NOT_ADVICE = "Not financial advice"


def _texts(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text", "")) for c in calls if c.method == "sendMessage"]


@pytest.fixture
def demo(settings: Settings) -> DemoSource:
    return DemoSource(settings)


async def _each(settings: Settings, demo: DemoSource, *messages: str) -> list[str]:
    """Each message's reply, every message in a chat of its own."""
    replies = []
    async with harness(settings, demo) as h:
        for chat, text in enumerate(messages, start=1):
            [reply] = _texts(await h.send(text, chat_id=chat))
            replies.append(reply)
    return replies


async def test_questions_about_the_bot_get_one_friendly_line(
    settings: Settings, demo: DemoSource
) -> None:
    replies = await _each(settings, demo, "hey whats your name?", "como te llamas bot?",
                          "can you answer in german?", "hablas español?",
                          "good evening from istanbul 🌙", "we love this chat 🙏",
                          "do not message me again", "no me mandes mensajes por favor")
    name, llamas, german, espanol, evening, love, stop, stop_es = replies
    assert all(NOT_SURE not in r and "\n" not in r.strip() for r in replies)
    assert name.startswith("I'm a bot that comments on the crypto market") and llamas == name
    assert german.startswith("I reply in English, but I read questions in Spanish")
    assert espanol == german
    assert evening.startswith("Hey 👋")
    assert love == "Anytime! Ask again whenever you like."
    assert "/unsubscribe" in stop and "/pause" in stop and stop_es == stop


@pytest.mark.parametrize(("text", "coin"), [
    ("is sol overpriced right now?", "Solana"), ("vale a pena comprar btc agora ou esperar?",
                                                 "Bitcoin"),
    ("someone told me sol is dead, true?", "Solana"), ("is eth risky now or fine?", "Ethereum"),
    ("стоит ли покупать эфир?", "Ethereum"), ("btc kaufen oder noch warten?", "Bitcoin"),
])
async def test_opinions_in_plain_words_get_the_read_the_record_and_not_advice(
    settings: Settings, demo: DemoSource, text: str, coin: str
) -> None:
    [reply] = await _each(settings, demo, text)
    assert reply.startswith(READ + coin + " right now is ")
    # the week's record, or (SOL's short demo history) saying it makes no call
    assert ("a week later" in reply or "make no call" in reply) and NOT_ADVICE in reply


async def test_picks_trading_and_portfolios_are_declined_in_one_line(
    settings: Settings, demo: DemoSource
) -> None:
    pick, trade, card, wallet = await _each(
        settings, demo, "what's the next coin to 50x?", "could you sell my eth for me",
        "buy me some sol with my credit card", "track my portfolio and send me my balance "
        "every morning")
    for line in (pick, trade, card):
        assert line.startswith("That's outside what I do — I don't pick coins, trade for you")
    assert wallet.startswith("I can't see your portfolio") and "updates" not in wallet


async def test_schedules_on_weekdays_and_in_other_languages_are_echoed_back(
    settings: Settings, demo: DemoSource
) -> None:
    monday, sunday, friday = await _each(
        settings, demo, "send me an eth summary every monday at 9am",
        "quiero un reporte de btc cada domingo a las 10", "sol recap every friday 6pm please")
    assert "I understood: ETH updates every monday at 9am" in monday
    assert "/subscribe eth every monday at 9am" in monday
    assert "I understood: BTC updates every sunday at 10" in sunday
    assert "I understood: SOL updates every friday at 6pm" in friday


async def test_cross_rates_moves_and_greetings_are_read_as_asked(
    settings: Settings, demo: DemoSource
) -> None:
    cross, cuantos, moved, oi = await _each(
        settings, demo, "how many sol is one eth?", "cuantos sol es un ether?",
        "what did sol do over the past 24 hours, up or down?", "oi gente, quanto custa o btc?")
    assert cross.startswith("1 ETH is about <b>17.35 SOL</b>") and cuantos == cross
    assert moved.startswith("Over the past day Solana fell 7.62%")
    assert oi.startswith("Bitcoin trades at <b>$99,400</b>") and "Open interest" not in oi


@pytest.mark.parametrize(("text", "asked", "shown"), [
    ("eth chart 15 minutes", "15-minute", "hourly"), ("sol chart 5 min pls", "5-minute", "hourly"),
    ("show me the btc chart for the week", "weekly", "daily"),
    ("gráfico de eth de la semana", "weekly", "daily"), ("btc chart for the month", "monthly",
                                                         "daily"),
])
async def test_a_chart_timeframe_not_computed_is_named_with_the_nearest_shown(
    settings: Settings, demo: DemoSource, text: str, asked: str, shown: str
) -> None:
    [reply] = await _each(settings, demo, text)
    assert reply.startswith("I don't compute a " + asked + " chart")
    assert "Here is the " + shown in reply


async def test_alerts_in_other_languages_offer_the_asked_alert(
    settings: Settings, demo: DemoSource
) -> None:
    spanish, russian, move = await _each(settings, demo, "avísame si eth baja de 3000",
                                         "напиши когда биток будет 120000",
                                         "let me know when sol moves 8%")
    assert spanish.startswith("Set an alert for when <b>ETH</b> trades at or below $3,000?")
    assert russian.startswith("Set an alert for when <b>BTC</b> trades at or above $120,000?")
    assert "SOL" in move and "8%" in move and NOT_SURE not in move


async def test_long_messages_answer_every_part_and_skip_the_story(
    settings: Settings, demo: DemoSource
) -> None:
    story, schedule, alert = await _each(
        settings, demo,
        "hi all, sorry for my english. i hold sol since 2023. my brother told me to sell "
        "everything because the market is bad and he always knows better than me, he says. "
        "so my questions: 1) sol price 2) is sol bearish 3) where is the next support?",
        "two things: how is eth doing today and can i get a daily sol report at 7 in turkish "
        "time?",
        "btc price? also message me when eth falls below 2500")
    heads = [line for line in story.splitlines() if line.startswith("💬 ")]
    assert heads == ["💬 <b>sol price?</b>", "💬 <b>is sol bearish?</b>",
                     "💬 <b>where is the next support?</b>"]
    assert "Solana trades at <b>$201.51</b>" in story and "next support" in story
    assert "Over the past day Ethereum fell" in schedule
    assert "/subscribe sol daily 07:00 Europe/Istanbul" in schedule
    assert "Bitcoin trades at" in alert
    assert "send <code>/alert eth below 2500</code>" in alert


async def test_best_hour_to_buy_and_price_of_both_are_answered(
    settings: Settings, demo: DemoSource
) -> None:
    hour, hora, both = await _each(
        settings, demo, "which hour of the day is best to buy eth?",
        "cuál es la mejor hora para comprar?", "eth and sol, which is stronger? and the price "
        "of both")
    assert hour.startswith("I can't name a best hour or day to buy") and hora == hour.replace(
        "eth", "btc")
    assert "one ETH buys 17.35 SOL" in both
    assert "💬 <b>the price of both?</b>\n<b>ETH</b> $3,496" in both
    assert "<b>SOL</b> $201.51" in both


async def test_chat_with_no_market_answer_gets_one_friendly_line_not_the_list(
    settings: Settings, demo: DemoSource
) -> None:
    hour, bored, pizza, night, noise = await _each(
        settings, demo, "what time is it over there?", "im so bored today haha",
        "do you like pizza?", "buenas noches a todos", "zorp quux")
    for line in (hour, bored, pizza):
        assert line.startswith("😄 I only know markets") and "\n" not in line
    assert night == "gn! The charts will still be here tomorrow."
    assert noise.startswith(NOT_SURE)  # text with no word it knows


async def test_week_odds_definitions_and_alerts_inside_a_long_message(
    settings: Settings, demo: DemoSource
) -> None:
    [reply] = await _each(
        settings, demo, "hi from lima. three things please: sol price, is sol more likely up or "
        "down in a week, what is this 'resistance' thing you mention? also send me a message "
        "when sol goes above 230")
    heads = [line for line in reply.splitlines() if line.startswith("💬 ")]
    assert len(heads) == 4
    assert "Solana trades at <b>$201.51</b>" in reply
    assert "Over the past day" not in reply  # the week ahead is asked, not the day behind
    assert "make no call on the days ahead" in reply
    assert "Resistance is a price zone where selling has capped rallies before" in reply
    assert "send <code>/alert sol above 230</code>" in reply
