"""Conversation in the domain: what kind a message is and which questions it asks."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.qa.talk import classify, split_questions, subscription_schedule


@pytest.mark.parametrize(("text", "kind"), [
    ("gm", "greeting"), ("GM ser ☕", "greeting"), ("hello there", "greeting"),
    ("ok thanks", "thanks"), ("ty", "thanks"), ("🙏", "thanks"), ("gn frens", "goodnight"),
    ("👍", "ack"), ("lol", "ack"), ("🚀🚀", "ack"),
    ("stop sending me stuff", "stop"), ("unsubscribe me", "stop"),
    ("set alert btc 100k", "alert"), ("ping me if eth drops below 2k", "alert"),
    ("any news on sol?", "news"), ("how's my portfolio", "portfolio"),
    ("btc price prediction 2030", "far_future"), ("where will eth be in 5 years", "far_future"),
    ("how much will btc be worth next year", "far_future"), ("hmm", "ack"),
    ("fear and greed index?", "index"), ("btc dominance?", "index"),
    ("send me btc every morning at 8", "subscribe"),
    ("is btc cooked?", "opinion"), ("should I short eth here", "opinion"),
    ("long or short?", "opinion"), ("good entry?", "opinion"), ("moon soon?", "opinion"),
])
def test_conversation_is_sorted_by_kind(text: str, kind: str) -> None:
    talk = classify(text)
    assert talk is not None and talk.kind == kind


@pytest.mark.parametrize("text", [
    "btc price?", "why bearish?", "what is rsi", "funding rate eth", "whale alert on btc?",
    "gm, btc price?", "and eth?", "🚀?", "where is support", "tell me if btc is bullish",
    "will eth hold 2050?", "where to put my stop loss for btc",
])
def test_market_questions_are_left_to_the_matcher(text: str) -> None:
    assert classify(text) is None


@pytest.mark.parametrize(("text", "schedule"), [
    ("send me btc every morning at 8", "daily 08:00"),
    ("eth every day at 9pm", "daily 21:00"),
    ("send me sol every evening", "daily 18:00"),
    ("btc every 4h please", "every 4h"),
])
def test_natural_subscription_requests_become_a_schedule(text: str, schedule: str) -> None:
    assert subscription_schedule(text) == schedule


def test_compound_messages_split_into_their_questions(settings: Settings) -> None:
    assert split_questions("btc price and funding? also whales?", settings) == [
        "btc price", "funding", "whales"]
    assert split_questions("eth range today?\nwhere is resistance?", settings) == [
        "eth range today", "where is resistance"]
    # "and" cuts only between two questions; repeats and small talk count once or not at all
    assert split_questions("fear and greed index?", settings) == ["fear and greed index"]
    assert split_questions("gm! btc price? btc price??", settings) == ["btc price"]
    assert split_questions("is btc bullish & why?", settings) == ["is btc bullish"]
