"""Turn a matched (or context-resolved) question into answer text.

Catalog intents are rendered by the commentary's answer templates from the analysis;
questions outside the catalog get a short "I'm not sure …" with examples, small talk and
requests the bot cannot do get one line (``talk_text``), and coins the bot does
not follow get a short "I don't follow X" (templates in ``templates/qa/``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from markupsafe import Markup

from bot.analysis.model import Analysis
from bot.commentary.posts import render_answer
from bot.commentary.render import render_template
from bot.commentary.telegram_html import Flavour
from bot.qa.context import Resolution
from bot.qa.intents import (
    COMPUTED_TIMEFRAMES,
    INTENTS,
    TIMEFRAME_INTENTS,
    UNKNOWN,
    intents_for_help,
)
from bot.qa.match import Match
from bot.qa.talk import Talk

#: Topics the commentary explains under another name (ATR is the volatility gauge).
TOPIC_STAND_INS = {"volatility": "atr"}


def can_answer_text(flavour: Flavour, symbols: Sequence[str], understood: bool = False) -> str:
    """The "I can answer …" reply with one example per intent."""
    return render_template(
        "qa/can_answer.j2", flavour, intents=list(intents_for_help()),
        symbols=list(symbols), understood=understood,
    )


def not_sure_text(flavour: Flavour, symbols: Sequence[str]) -> str:
    """The short reply to text the bot cannot place (a few examples, the coins followed)."""
    return render_template("qa/not_sure.j2", flavour, symbols=list(symbols))


def talk_text(talk: Talk, coin: str, flavour: Flavour) -> str:
    """The one line for small talk or a request the bot cannot do (``coin``: the chat's)."""
    return render_template("qa/talk.j2", flavour, kind=talk.kind, coin=coin.lower(),
                           schedule=talk.schedule, zone=talk.zone, alert=talk.alert).strip()


def compound_text(parts: Sequence[tuple[str, str]], skipped: Sequence[str],
                  flavour: Flavour, opinion: bool = False) -> str:
    """Several answers in one reply, each headed by its question; the skipped ones named
    (``opinion``: one part asked for a trade call, so the not-advice note follows)."""
    bodies = [(q, Markup(body) if flavour == "html" else body) for q, body in parts]
    return render_template("qa/compound.j2", flavour, parts=bodies, skipped=list(skipped),
                           opinion=opinion)


def unsupported_text(symbol: str, flavour: Flavour, symbols: Sequence[str],
                     demo: bool = False) -> str:
    """The reply to a question about a coin the bot does not follow (``demo``: the offline
    demo market answers, which has no data for real coins it does not simulate)."""
    return render_template("qa/unsupported.j2", flavour, symbol=symbol, symbols=list(symbols),
                           demo=demo)


def answer_question(
    match_result: Match | Resolution,
    analysis: Analysis | None,
    flavour: Flavour,
    symbols: Sequence[str] = (),
    standalone: bool = True,
    demo: bool = False,
) -> str:
    """The answer text for ``match_result`` from ``analysis`` (``symbols``: coins followed).

    ``standalone=False`` leaves out the as-of note (a part of a longer reply); ``demo``: the
    offline demo market answers (an unsupported coin has no data there).
    ``analysis`` may be ``None`` only when no market numbers are needed (unknown, help,
    unsupported coin); a catalog intent without analysis raises ``ValueError``.
    """
    intent, topic = match_result.intent, match_result.topic
    symbol = match_result.symbol
    if intent == UNKNOWN:
        return not_sure_text(flavour, symbols)
    if symbol is not None and not match_result.symbol_supported:
        return unsupported_text(symbol, flavour, symbols, demo)
    if intent not in INTENTS:
        raise ValueError(f"unknown intent {intent!r}")
    if analysis is None:
        if intent == "help":
            return can_answer_text(flavour, symbols, understood=True)
        raise ValueError(f"intent {intent!r} needs an analysis")
    if topic is not None:
        topic = TOPIC_STAND_INS.get(topic, topic)
    if match_result.timeframe is not None and intent in TIMEFRAME_INTENTS:
        return timeframe_text(intent, match_result.timeframe, analysis, flavour)
    return render_answer(intent, analysis, flavour, topic=topic, standalone=standalone)


def timeframe_text(intent: str, timeframe: str, analysis: Analysis, flavour: Flavour) -> str:
    """``intent`` read on ``timeframe``: the trend on that chart (a bias question gets it
    too); levels are one set across charts, and an uncomputed chart (weekly) is said so,
    with the daily instead."""
    shorter = timeframe.endswith("m")  # minutes: the hourly is the nearest computed chart
    shown = timeframe if timeframe in COMPUTED_TIMEFRAMES else ("1h" if shorter else "1d")
    if intent in ("support", "resistance"):
        body = render_answer(intent, analysis, flavour, standalone=False)
    else:
        reading = analysis.trend.get(shown)
        only = replace(analysis, trend={shown: reading} if reading is not None else {})
        body = render_answer("trend", only, flavour, standalone=False)
    return render_template(
        "answers/timeframe.j2", flavour, intent=intent, asked=timeframe, shown=shown,
        body=Markup(body) if flavour == "html" else body, symbol=analysis.symbol,
        v=analysis,
    )
