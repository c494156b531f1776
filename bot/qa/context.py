"""Which question is really asked, about which coin, from which analysis — a pure rule.

- A reply to a bot post is answered from that post's stored analysis, unless the question
  names another coin (then the current snapshot of that coin is used).
- "and eth?" / "same for solana" repeat the last intent (of the replied-to answer, else of
  the chat) for the new symbol.
- A plain question without context uses the current snapshot; its symbol is the one named,
  else the replied post's, else the chat's last, else the first configured symbol.
- "what about the weekly?" repeats the last trend/bias/support/resistance question on that
  timeframe (after any other question it asks for the trend there).
- Cross rates and conversions are always answered from the current snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.qa.intents import PAIR_INTENTS, TIMEFRAME_INTENTS, UNKNOWN
from bot.qa.match import Match
from bot.qa.pairs import PairAsk

AnalysisSource = Literal["replied_post", "current"]

#: Intent of a bare follow-up ("and eth?") when nothing was asked before.
DEFAULT_FOLLOWUP_INTENT = "price"
#: Intents whose answer does not depend on market numbers.
NO_MARKET_INTENTS: frozenset[str] = frozenset({UNKNOWN})


@dataclass(frozen=True, slots=True)
class RepliedPost:
    """The bot post a question replies to: its symbol, as-of time and, for answers, intent."""

    symbol: str
    as_of: datetime
    intent: str | None = None
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class ChatContext:
    """What this chat asked last (kept by the caller between questions)."""

    intent: str
    symbol: str
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """The question to answer: intent, topic, symbol and which analysis to answer from."""

    intent: str
    topic: str | None
    symbol: str
    source: AnalysisSource
    symbol_supported: bool = True
    as_of: datetime | None = None
    timeframe: str | None = None
    pair: PairAsk | None = None

    @property
    def needs_market(self) -> bool:
        """Whether answering needs an analysis (unknown questions do not)."""
        return self.intent not in NO_MARKET_INTENTS and self.symbol_supported


def _repeated(
    replied: RepliedPost | None, last: ChatContext | None
) -> tuple[str, str | None]:
    if replied is not None and replied.intent is not None:
        return replied.intent, replied.topic
    if last is not None:
        return last.intent, last.topic
    return DEFAULT_FOLLOWUP_INTENT, None


def resolve(
    match: Match,
    replied: RepliedPost | None,
    last: ChatContext | None,
    default_symbol: str,
) -> Resolution:
    """Decide (intent, topic, symbol, analysis source) for ``match`` in its chat context."""
    if match.is_followup_same_intent:
        intent, topic = _repeated(replied, last)
        if match.timeframe is not None and intent not in TIMEFRAME_INTENTS:
            intent, topic = "trend", None
    else:
        intent, topic = match.intent, match.topic
    symbol = (
        match.symbol
        or (replied.symbol if replied is not None else None)
        or (last.symbol if last is not None else None)
        or default_symbol
    )
    from_post = (replied is not None and replied.symbol == symbol
                 and match.pair is None)
    return Resolution(
        intent=intent,
        topic=topic,
        symbol=symbol,
        source="replied_post" if from_post else "current",
        symbol_supported=match.symbol_supported,
        as_of=replied.as_of if from_post and replied is not None else None,
        timeframe=match.timeframe,
        pair=match.pair,
    )


def remember(resolution: Resolution, previous: ChatContext | None) -> ChatContext | None:
    """The chat context after answering ``resolution`` (unknown/help do not replace it)."""
    if (resolution.intent in (UNKNOWN, "help", *PAIR_INTENTS)
            or not resolution.symbol_supported):
        return previous
    return ChatContext(resolution.intent, resolution.symbol, resolution.topic)
