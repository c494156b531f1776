"""``python -m bot ask``: answer one question from a market source, without chat context."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.analysis import analyse
from bot.config import Settings
from bot.market.source import MarketSource
from bot.qa.answer import answer_question
from bot.qa.context import resolve
from bot.qa.intents import PAIR_INTENTS
from bot.qa.match import Match, match_question
from bot.qa.pair_answer import pair_text
from bot.symbols import symbol_book


def _with_symbol(match: Match, symbol: str | None, settings: Settings) -> Match:
    """``match`` with the explicitly given ``symbol`` (a ticker or alias) taking precedence."""
    if not symbol:
        return match
    configured = settings.symbol(symbol)
    if configured is not None:
        return replace(match, symbol=configured.name, symbol_supported=True)
    ticker = symbol.strip().lstrip("$/").upper()
    supported = symbol_book(settings).is_configured(ticker)
    return replace(match, symbol=ticker, symbol_supported=supported)


async def ask(
    settings: Settings, source: MarketSource, question: str, symbol: str | None = None
) -> dict[str, Any]:
    """Match ``question`` and answer it in plain text: {intent, topic, symbol, answer}."""
    match = _with_symbol(match_question(question, settings), symbol, settings)
    resolution = resolve(match, None, None, default_symbol=settings.symbol_names[0])
    analysis = None
    pair = resolution.pair if resolution.intent in PAIR_INTENTS else None
    if pair is not None and resolution.needs_market:
        analyses = {c: analyse(await source.snapshot(c), settings) for c in pair.coins}
        answer = pair_text(resolution.intent, pair, analyses, "text")
    else:
        if resolution.needs_market:
            analysis = analyse(await source.snapshot(resolution.symbol), settings)
        answer = answer_question(resolution, analysis, "text", settings.symbol_names)
    shown_symbol = resolution.symbol if resolution.needs_market else match.symbol
    return {
        "intent": resolution.intent,
        "topic": resolution.topic,
        "symbol": shown_symbol,
        "answer": answer,
    }
