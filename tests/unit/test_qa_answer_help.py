"""The "I can answer …" reply: one example question per catalog intent, worded in templates."""

from __future__ import annotations

from bot.qa.answer import can_answer_text
from bot.qa.intents import INTENTS, intents_for_help


def test_can_answer_lists_one_example_per_intent() -> None:
    text = can_answer_text("text", ["BTC", "ETH"])
    bullets = [line for line in text.splitlines() if line.startswith("• ")]
    assert len(bullets) == len(intents_for_help()) == len(INTENTS) - 1
    assert bullets[0] == "• btc price?"
    assert "• what is rsi?" in bullets
    assert "Coins I follow: BTC, ETH." in text
