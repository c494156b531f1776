"""The storage behind follow-ups: each chat's last question and the coin it talks about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app.questions import answer_view, parse_answer_view
from bot.storage import Storage
from bot.telegram.handlers.common import without_mention
from bot.telegram.keyboards import parse_question, question_data

AS_OF = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def test_chat_context_is_saved_replaced_and_kept_across_reopening(database: str) -> None:
    db = database
    store = await Storage.open(db)
    try:
        assert await store.chat_context(7) is None
        await store.save_chat_context(7, "bias", None, "BTC")
        await store.save_chat_context(7, "explain", "rsi", "ETH")
    finally:
        await store.close()
    store = await Storage.open(db)
    try:
        saved = await store.chat_context(7)
        other = await store.chat_context(8)
    finally:
        await store.close()
    assert saved is not None
    assert (saved.intent, saved.topic, saved.symbol) == ("explain", "rsi", "ETH")
    assert saved.updated_at.tzinfo is not None
    assert other is None


async def test_latest_post_symbol_follows_the_last_message_of_the_chat(database: str) -> None:
    store = await Storage.open(database)
    try:
        btc = await store.save_post("BTC", AS_OF, {"n": 1})
        eth = await store.save_post("ETH", AS_OF, {"n": 2})
        await store.link_message(7, 1, btc, view="quick")
        before_eth = datetime.now(UTC)
        await store.link_message(7, 2, eth, view="answer:bias")
        await store.link_message(9, 3, btc, view="quick")
        latest = await store.latest_post_symbol(7)
        since = await store.latest_post_symbol(7, before_eth)
        none_after = await store.latest_post_symbol(7, datetime.now(UTC) + timedelta(hours=1))
    finally:
        await store.close()
    assert (latest, since, none_after) == ("ETH", "ETH", None)


def test_question_buttons_round_trip_within_telegrams_64_bytes() -> None:
    data = question_data(123_456_789_012, "open_interest", "liquidation")
    tap = parse_question(data)
    assert tap is not None and (tap.post_id, tap.intent, tap.topic) == (
        123_456_789_012, "open_interest", "liquidation")
    assert len(data.encode()) <= 64
    assert parse_question("q:12:bias") is not None
    for forged in ("q:abc:bias", "q:1:Bias!", "r:1:q", "", "q:1:" + "x" * 40):
        assert parse_question(forged) is None


def test_answer_messages_keep_their_intent_for_replies_to_them() -> None:
    assert parse_answer_view(answer_view("explain", "rsi")) == ("explain", "rsi")
    assert parse_answer_view(answer_view("bias", None)) == ("bias", None)
    assert parse_answer_view("quick") is None and parse_answer_view("chart") is None


def test_mentions_of_the_bot_are_removed_from_the_question() -> None:
    assert without_mention("@Market_Bot why bearish?", "market_bot") == "why bearish?"
    assert without_mention("price of sol @market_bot", "market_bot") == "price of sol"
