"""Question matching: the labelled question set, typos, word order, topics, follow-ups."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.config import Settings, settings_from_dict
from bot.qa.intents import INTENTS, UNKNOWN
from bot.qa.match import Match, match_question
from tests.unit.qa_questions import FOLLOWUP, QUESTION_SETS, LabelledQuestion, load_questions

REQUIRED_ACCURACY = 0.95


def _is_right(q: LabelledQuestion, m: Match) -> bool:
    if q.intent == FOLLOWUP:
        return m.is_followup_same_intent and m.symbol == q.symbol
    return (m.intent, m.topic, m.symbol, m.is_followup_same_intent) == (
        q.intent, q.topic, q.symbol, False
    )


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.stem)
def test_question_set_is_answered_with_at_least_95_percent_accuracy(
    settings: Settings, path: Path
) -> None:
    questions = load_questions(path)
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


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.stem)
def test_question_set_covers_every_intent_symbol_followups_and_off_topic(path: Path) -> None:
    questions = load_questions(path)
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


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("did it pump today", "change"),
        ("is it gonna pump", "outlook"),
        ("sol dumped?", "change"),
        ("will sol dump more", "outlook"),
        ("where will it bounce", "support"),
        ("is a bounce coming", "outlook"),
    ],
)
def test_past_moves_ask_the_change_and_future_moves_the_outlook(
    settings: Settings, text: str, intent: str
) -> None:
    assert match_question(text, settings).intent == intent


def test_two_questions_in_one_message_answer_the_first(settings: Settings) -> None:
    match = match_question("btc price and funding?", settings)
    assert (match.intent, match.symbol) == ("price", "BTC")
    assert match_question("funding and oi?", settings).intent == "funding"
    assert match_question("high and low today", settings).intent == "range"


@pytest.mark.parametrize(
    "text", ["wen airdrop", "what's the ath", "what's the market cap", "is coinbase down",
             "🚀🚀🚀", "eth gas fees?"]
)
def test_subjects_outside_the_posts_are_unknown(settings: Settings, text: str) -> None:
    assert match_question(text, settings).intent == UNKNOWN


def test_a_venue_name_does_not_hide_the_metric_asked_about(settings: Settings) -> None:
    assert match_question("binance funding rate?", settings).intent == "funding"


@pytest.mark.parametrize(
    ("text", "intent", "symbol"),
    [
        ("precio bitcoin", "price", "BTC"),
        ("quanto vale eth", "price", "ETH"),
        ("btc dumpin how much", "change", "BTC"),
        ("eth ma200", "trend", "ETH"),
        ("o.i.?", "open_interest", None),
        ("are ppl long or short", "long_short", None),
    ],
)
def test_foreign_words_dropped_letters_and_glued_numbers_are_normalised(
    settings: Settings, text: str, intent: str, symbol: str | None
) -> None:
    match = match_question(text, settings)
    assert (match.intent, match.symbol) == (intent, symbol)


def test_two_indicators_compared_ask_for_an_explanation(settings: Settings) -> None:
    match = match_question("ema vs sma?", settings)
    assert (match.intent, match.topic) == ("explain", "ema")
    assert match_question("longs vs shorts?", settings).intent == "long_short"


def test_vague_words_count_only_when_they_explain_the_whole_question(
    settings: Settings,
) -> None:
    assert match_question("should i sell", settings).intent == "bias"
    assert match_question("short term?", settings).intent == "outlook"
    assert match_question("should i buy a house", settings).intent == UNKNOWN
    assert match_question("is it going to rain tomorrow", settings).intent == UNKNOWN


def test_words_that_only_look_like_keywords_are_not_read_as_them(settings: Settings) -> None:
    assert match_question("interesting", settings).intent == UNKNOWN
    assert match_question("what's making you bearish", settings).intent == "bias"
    assert match_question("how does this thing work", settings).intent == "help"


@pytest.mark.parametrize(
    ("text", "intent", "topic", "symbol"),
    [
        ("btc looking weak", "bias", None, "BTC"),
        ("whales buying or selling?", "whales", None, None),
        ("please tell me resistance for sol", "resistance", None, "SOL"),
        ("im new to futures, what is funding and who pays it", "explain", "funding", None),
        ("whats the best coin to buy for 100x", UNKNOWN, None, None),
        ("sol at 150 still?", "price", None, "SOL"),
        ("if eth loses this level where next", "support", None, "ETH"),
        ("i was away all weekend and just came back, where is eth trading", "price", None,
         "ETH"),
    ],
)
def test_statements_polite_forms_and_newcomers_are_read_as_meant(
    settings: Settings, text: str, intent: str, topic: str | None, symbol: str | None
) -> None:
    match = match_question(text, settings)
    assert (match.intent, match.topic, match.symbol) == (intent, topic, symbol)


def test_as_well_after_a_coin_is_a_followup(settings: Settings) -> None:
    match = match_question("sol as well?", settings)
    assert (match.is_followup_same_intent, match.symbol) == (True, "SOL")
