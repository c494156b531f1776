"""Answer text: catalog intents from the analysis, "I can answer …", unfollowed coins."""

from __future__ import annotations

import pytest

from bot.analysis import Analysis, analyse
from bot.commentary import formatting
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.qa.answer import answer_question
from bot.qa.match import match_question


@pytest.fixture(scope="module")
def eth_analysis(settings: Settings) -> Analysis:
    """The demo market's ETH analysis at the end of the demo."""
    return analyse(DemoSource(settings).snapshot_now("ETH"), settings)


def test_price_question_is_answered_with_the_analysed_price(
    settings: Settings, eth_analysis: Analysis
) -> None:
    assert eth_analysis.price is not None
    text = answer_question(match_question("eth price?", settings), eth_analysis, "text")
    assert formatting.usd(eth_analysis.price.last) in text
    assert "Ethereum" in text


def test_why_question_gives_the_analysis_bias_label(
    settings: Settings, eth_analysis: Analysis
) -> None:
    text = answer_question(match_question("why bearish?", settings), eth_analysis, "text")
    assert eth_analysis.bias.label in text


def test_explain_question_defines_the_topic(settings: Settings, eth_analysis: Analysis) -> None:
    text = answer_question(match_question("what does rsi mean", settings), eth_analysis, "text")
    assert "relative strength index" in text


def test_volatility_is_explained_with_its_atr_gauge(
    settings: Settings, eth_analysis: Analysis
) -> None:
    match = match_question("what is volatility", settings)
    text = answer_question(match, eth_analysis, "text")
    assert (match.topic, "volatility" in text) == ("volatility", True)


def test_off_topic_question_lists_what_the_bot_can_answer(settings: Settings) -> None:
    text = answer_question(
        match_question("tell me a joke", settings), None, "text", settings.symbol_names
    )
    assert "I can answer" in text
    assert "BTC, ETH, SOL" in text
    assert "what is rsi?" in text


def test_unfollowed_coin_is_named_with_the_coins_the_bot_follows(settings: Settings) -> None:
    text = answer_question(
        match_question("doge price?", settings), None, "text", settings.symbol_names
    )
    assert "DOGE" in text and "BTC, ETH, SOL" in text


def test_html_answers_escape_symbol_names(settings: Settings) -> None:
    match = match_question("what about $<b>x</b>", settings)
    text = answer_question(match, None, "html", ["<i>BTC</i>"])
    assert "<i>BTC</i>" not in text and "&lt;i&gt;BTC&lt;/i&gt;" in text


def test_market_intent_without_analysis_is_a_programming_error(settings: Settings) -> None:
    with pytest.raises(ValueError, match="needs an analysis"):
        answer_question(match_question("funding?", settings), None, "text")
