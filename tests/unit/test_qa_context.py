"""Context resolution: replies answer from the post, "and eth?" repeats the last intent."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import Settings
from bot.qa.context import ChatContext, RepliedPost, remember, resolve
from bot.qa.match import match_question

POST_TIME = datetime(2026, 2, 4, 12, 0, tzinfo=UTC)
BTC_POST = RepliedPost(symbol="BTC", as_of=POST_TIME)


def test_reply_why_to_a_btc_post_explains_the_bias_from_that_post(settings: Settings) -> None:
    res = resolve(match_question("why?", settings), BTC_POST, None, "BTC")
    assert (res.intent, res.symbol, res.source, res.as_of) == (
        "bias", "BTC", "replied_post", POST_TIME
    )


def test_and_eth_after_why_asks_the_bias_of_eth_from_the_current_snapshot(
    settings: Settings,
) -> None:
    last = ChatContext(intent="bias", symbol="BTC")
    res = resolve(match_question("and eth?", settings), None, last, "BTC")
    assert (res.intent, res.symbol, res.source, res.as_of) == ("bias", "ETH", "current", None)


def test_followup_replying_to_an_answer_reuses_that_answer_intent(settings: Settings) -> None:
    answer_post = RepliedPost("BTC", POST_TIME, intent="funding")
    last = ChatContext(intent="price", symbol="SOL")
    res = resolve(match_question("same for solana", settings), answer_post, last, "BTC")
    assert (res.intent, res.symbol, res.source) == ("funding", "SOL", "current")


def test_reply_naming_the_posts_own_coin_still_uses_the_post(settings: Settings) -> None:
    res = resolve(match_question("btc funding?", settings), BTC_POST, None, "ETH")
    assert (res.intent, res.source) == ("funding", "replied_post")


def test_plain_question_without_context_uses_the_current_default_symbol(
    settings: Settings,
) -> None:
    res = resolve(match_question("where is support", settings), None, None, "BTC")
    assert (res.intent, res.symbol, res.source) == ("support", "BTC", "current")


def test_plain_question_reuses_the_chats_last_symbol(settings: Settings) -> None:
    last = ChatContext(intent="price", symbol="SOL")
    res = resolve(match_question("funding?", settings), None, last, "BTC")
    assert (res.intent, res.symbol) == ("funding", "SOL")


def test_bare_followup_without_any_history_asks_the_price(settings: Settings) -> None:
    res = resolve(match_question("eth?", settings), None, None, "BTC")
    assert (res.intent, res.symbol) == ("price", "ETH")


def test_unsupported_coin_needs_no_market_and_leaves_the_chat_context(
    settings: Settings,
) -> None:
    last = ChatContext(intent="bias", symbol="BTC")
    res = resolve(match_question("what about doge", settings), None, last, "BTC")
    assert (res.intent, res.symbol, res.symbol_supported, res.needs_market) == (
        "bias", "DOGE", False, False
    )
    assert remember(res, last) == last


def test_answered_question_becomes_the_chats_last_intent(settings: Settings) -> None:
    res = resolve(match_question("eth oi?", settings), None, None, "BTC")
    assert remember(res, None) == ChatContext("open_interest", "ETH")
    unknown = resolve(match_question("tell me a joke", settings), None, None, "BTC")
    assert remember(unknown, ChatContext("open_interest", "ETH")) == ChatContext(
        "open_interest", "ETH"
    )
