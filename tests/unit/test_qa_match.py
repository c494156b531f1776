"""Question matching: the labelled question set, typos, word order, topics, follow-ups."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.config import Settings, settings_from_dict
from bot.qa.intents import INTENTS, UNKNOWN
from bot.qa.match import Match, match_question
from tests.unit.qa_questions import FOLLOWUP, LabelledQuestion, load_questions

REQUIRED_ACCURACY = 0.95


def _is_right(q: LabelledQuestion, m: Match) -> bool:
    if q.intent == FOLLOWUP:
        return m.is_followup_same_intent and m.symbol == q.symbol
    return (m.intent, m.topic, m.symbol, m.is_followup_same_intent) == (
        q.intent, q.topic, q.symbol, False
    )


def test_question_set_is_answered_with_at_least_95_percent_accuracy(settings: Settings) -> None:
    questions = load_questions()
    misses = [
        (q, m) for q in questions if not _is_right(q, m := match_question(q.text, settings))
    ]
    accuracy = 1 - len(misses) / len(questions)
    report = "\n".join(
        f"{q.text!r}: expected {q.intent}:{q.topic} {q.symbol}, got {m.intent}:{m.topic} "
        f"{m.symbol} followup={m.is_followup_same_intent}"
        for q, m in misses
    )
    assert accuracy >= REQUIRED_ACCURACY, f"accuracy {accuracy:.3f}\n{report}"


def test_question_set_covers_every_intent_symbol_followups_and_off_topic() -> None:
    questions = load_questions()
    per_intent = Counter(q.intent for q in questions)
    symbols = {q.symbol for q in questions}
    assert len(questions) >= 150
    assert all(per_intent[intent] >= 8 for intent in INTENTS), per_intent
    assert per_intent[FOLLOWUP] >= 10 and per_intent[UNKNOWN] >= 10
    assert {"BTC", "ETH", "SOL", "DOGE"} <= symbols


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("fundng rate?", "funding"),
        ("resistence", "resistance"),
        ("suport levels", "support"),
        ("volumne today", "volume"),
        ("open intrest", "open_interest"),
        ("hlep", "help"),
        ("bitcoin pirce", "price"),
        ("whats the trnd", "trend"),
    ],
)
def test_typos_still_find_the_intent(settings: Settings, text: str, intent: str) -> None:
    assert match_question(text, settings).intent == intent


@pytest.mark.parametrize(
    ("first", "second"),
    [("btc price", "price btc"), ("eth funding", "funding eth"), ("sol oi", "oi on sol")],
)
def test_word_order_gives_the_same_answer(settings: Settings, first: str, second: str) -> None:
    a, b = match_question(first, settings), match_question(second, settings)
    assert (a.intent, a.symbol) == (b.intent, b.symbol)


@pytest.mark.parametrize(
    "text", ["what's the weather today", "tell me a joke", "", "   ", "🍕🍕", "lol ok", "gm"]
)
def test_off_topic_questions_are_unknown_never_a_confident_guess(
    settings: Settings, text: str
) -> None:
    match = match_question(text, settings)
    assert match.intent == UNKNOWN
    assert not match.is_followup_same_intent


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        ("what is rsi", "explain", "rsi"),
        ("what's the rsi on btc", "trend", None),
        ("what is open interest", "explain", "open_interest"),
        ("whats the oi", "open_interest", None),
        ("what does funding mean", "explain", "funding"),
        ("funding rate now", "funding", None),
        ("what are liquidations", "explain", "liquidation"),
        ("what are whales doing", "whales", None),
        ("what is a whale", "explain", "whales"),
    ],
)
def test_definitions_are_told_apart_from_readings(
    settings: Settings, text: str, intent: str, topic: str | None
) -> None:
    match = match_question(text, settings)
    assert (match.intent, match.topic) == (intent, topic)


def test_and_eth_is_a_followup_for_eth(settings: Settings) -> None:
    match = match_question("and eth?", settings)
    assert match.is_followup_same_intent
    assert (match.symbol, match.symbol_supported) == ("ETH", True)


def test_unfollowed_coin_is_recognised_and_flagged_unsupported(settings: Settings) -> None:
    match = match_question("what about doge", settings)
    assert match.is_followup_same_intent
    assert (match.symbol, match.symbol_supported) == ("DOGE", False)
    priced = match_question("xrp price?", settings)
    assert (priced.intent, priced.symbol, priced.symbol_supported) == ("price", "XRP", False)


def test_question_with_its_own_intent_and_a_coin_is_not_a_bare_followup(
    settings: Settings,
) -> None:
    match = match_question("what about eth funding?", settings)
    assert (match.intent, match.symbol, match.is_followup_same_intent) == (
        "funding", "ETH", False
    )


def test_configured_aliases_name_their_symbol() -> None:
    custom = settings_from_dict(
        {"symbols": [{"name": "DOGE", "aliases": ["doggy"], "spot": "DOGE/USDT"}]}
    )
    match = match_question("doggy price pls", custom)
    assert (match.intent, match.symbol, match.symbol_supported) == ("price", "DOGE", True)


def test_hostile_and_oversized_input_is_handled(settings: Settings) -> None:
    assert match_question("<b>btc</b> price <script>", settings).intent == "price"
    long_text = "why " * 2000 + "bearish"
    assert match_question(long_text, settings).intent == "bias"


def test_ask_command_and_bot_mentions_are_ignored(settings: Settings) -> None:
    assert match_question("/ask@MarketBot why bearish?", settings).intent == "bias"
    mention = match_question("@MarketBot and eth?", settings)
    assert (mention.is_followup_same_intent, mention.symbol) == (True, "ETH")
