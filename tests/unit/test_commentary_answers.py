"""Every follow-up intent answers from the view model, in both flavours."""

from __future__ import annotations

import re

import pytest

from bot.commentary import render_answer, render_template
from bot.commentary.views import build_view
from bot.qa.answer import TOPIC_STAND_INS
from bot.qa.intents import INTENTS, TOPICS
from bot.resources import templates_dir
from tests.unit.commentary_cases import (
    DEMO_CASES,
    REFERENCE_MOMENT,
    WHALE_MOMENTS,
    demo_analysis,
    replay_analysis,
)
from tests.unit.fact_check import number_tokens, unverified_numbers
from tests.unit.html_validator import html_errors, text_errors
from tests.unit.test_commentary_articles import FORBIDDEN, visible


def _explain_wording_numbers() -> list[str]:
    """Numbers written into the explanations themselves (scales such as 0–100)."""
    source = (templates_dir() / "answers" / "_topics.j2").read_text(encoding="utf-8")
    return number_tokens(re.sub(r"{[{%#].*?[}%#]}", " ", source))


def _check(answer: str, flavour: str, view: object, intent: str) -> None:
    errors = html_errors(answer) if flavour == "html" else text_errors(answer)
    assert errors == [], (intent, errors)
    text = visible(answer) if flavour == "html" else answer
    assert text.strip(), intent
    assert not FORBIDDEN.search(text), (intent, text)
    extra = _explain_wording_numbers() if intent == "explain" else ()
    assert unverified_numbers(text, view, extra) == [], (intent, text)


@pytest.mark.parametrize(("episode", "symbol"), DEMO_CASES)
def test_every_intent_answers_each_demo_snapshot(episode: str, symbol: str) -> None:
    analysis = demo_analysis(episode, symbol)
    view = build_view(analysis)
    for intent in INTENTS:
        for flavour in ("html", "text"):
            answer = render_answer(intent, analysis, flavour, topic="rsi")
            _check(answer, flavour, view, intent)
            assert "DEMO DATA" in answer


def test_every_intent_answers_replay_snapshots(shared_data: object) -> None:
    for at in (REFERENCE_MOMENT, *WHALE_MOMENTS):
        analysis = replay_analysis("BTC", at)
        view = build_view(analysis)
        for intent in INTENTS:
            _check(render_answer(intent, analysis, "html"), "html", view, intent)


#: The topics the commentary explains itself (the others stand in for one of them).
EXPLAIN_TOPICS = tuple(t for t in TOPICS if t not in TOPIC_STAND_INS)


def test_every_explain_topic_has_its_own_explanation() -> None:
    analysis = demo_analysis("range")
    texts = {t: render_answer("explain", analysis, "text", topic=t, standalone=False)
             for t in EXPLAIN_TOPICS}
    assert len(set(texts.values())) == len(EXPLAIN_TOPICS) == len(TOPICS) - len(TOPIC_STAND_INS)
    assert texts["adx"].startswith("ADX (average directional index) measures")
    unknown = render_answer("explain", analysis, "text", topic="astrology", standalone=False)
    assert unknown.startswith("I can explain adx, dmi, rsi")


def test_reference_answers_carry_the_numbers_of_the_post(shared_data: object) -> None:
    analysis = replay_analysis("BTC", REFERENCE_MOMENT)
    assert render_answer("price", analysis, "text", standalone=False) == (
        "Bitcoin trades at $76,017, down 2.64% over the past day.")
    rng = render_answer("range", analysis, "text", standalone=False)
    assert "low of $72,946" in rng and "local high of $76,972" in rng
    trend = render_answer("trend", analysis, "text", standalone=False)
    assert "ADX reads 34" in trend and "sellers in control" in trend
    bias = render_answer("bias", analysis, "html")
    assert "<b>strongly bearish</b>" in bias or "<b>bearish</b>" in bias
    assert "Replay of recorded data as of 4 Feb 2026, 12:00 UTC" in visible(bias)


def test_unknown_intent_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown intent"):
        render_answer("horoscope", demo_analysis("range"), "text")


def test_help_lists_commands_with_descriptions() -> None:
    def command(name: str) -> dict[str, str]:
        def word(what: str) -> str:
            return render_template("telegram/command.j2", "text", command=name, what=what,
                                   example_symbol="BTC", symbol=name.upper())
        return {"description": word("description"), "example": word("example")}

    commands = [command(name) for name in ("btc", "digest", "ask")]
    text = render_template("telegram/help.j2", "html", commands=commands)
    assert html_errors(text) == []
    shown = visible(text)
    assert "/digest BTC — The full market article" in shown
    assert "/btc — Quick take on BTC" in shown
    assert "/ask why bearish? — Ask a question, or reply to a post" in shown
