"""The one catalog of follow-up intents and explain topics: names, keywords, synonyms, slang.

Example questions shown to users are worded in ``templates/qa/can_answer.j2`` by intent.

Each intent maps onto one commentary answer template. A keyword is a phrase of one or
more words with a weight; ``match.py`` sums the weights of the keywords it finds (fuzzily,
so typos still count) and picks the best-scoring intent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

INTENTS: tuple[str, ...] = (
    "price",
    "change",
    "range",
    "trend",
    "bias",
    "support",
    "resistance",
    "outlook",
    "whales",
    "long_short",
    "open_interest",
    "volume",
    "funding",
    "explain",
    "help",
)
UNKNOWN = "unknown"

# Explain topics, named as the commentary's ``answers/_topics.j2`` names them
# ("volatility" is answered by the ATR explanation: ``answer.TOPIC_STAND_INS``).
TOPICS: tuple[str, ...] = (
    "rsi", "macd", "adx", "dmi", "atr", "sma", "ema", "funding", "open_interest",
    "long_short", "liquidation", "leverage", "support", "resistance", "volatility",
    "volume", "bias", "whales",
)


@dataclass(frozen=True, slots=True)
class Keyword:
    """A phrase (space-separated words) that votes for an intent with ``weight``.

    A ``generic`` keyword ("will", "today") only counts in a question that also has
    market context: a symbol or a non-generic keyword of any intent.
    """

    phrase: str
    weight: float
    generic: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        """The phrase split into words, skipped words left out."""
        return tuple(w for w in self.phrase.split() if w not in SKIPPED_WORDS)


@dataclass(frozen=True, slots=True)
class IntentSpec:
    """One intent: its voting keywords (its example question is worded in
    ``templates/qa/can_answer.j2``)."""

    name: str
    keywords: tuple[Keyword, ...]


def _kw(weight: float, *phrases: str, generic: bool = False) -> tuple[Keyword, ...]:
    return tuple(Keyword(p, weight, generic) for p in phrases)


# A metric noun ("funding", "oi") outranks words that merely describe it ("high", "trend").
METRIC_INTENTS: frozenset[str] = frozenset(
    {"open_interest", "volume", "funding", "long_short", "whales"}
)
MODIFIER_INTENTS: frozenset[str] = frozenset({"change", "range", "trend"})
MODIFIER_DISCOUNT = 0.5

# Tiers: the subject noun of an intent, a strong cue, a supporting word, a hint.
METRIC, NOUN, STRONG, MEDIUM, WEAK = 4.5, 4.0, 3.0, 2.0, 1.0

# Words skipped when phrases are compared ("how much is it down" ~ "how much is down").
SKIPPED_WORDS: frozenset[str] = frozenset({"it", "the", "a", "an", "this", "that", "we"})

_MOVES_ING = ("dumping", "pumping", "tanking", "crashing", "bleeding", "falling", "dropping",
              "rising", "rallying", "surging", "plunging", "sinking", "dipping", "mooning",
              "going down", "going up")

_MOVES_PAST = ("dumped", "pumped", "dropped", "fell", "rose", "rallied", "tanked", "crashed",
               "surged", "plunged", "dipped", "bled", "mooned", "nuked", "gained", "lost")
# Future verbs ("will it bounce", "gonna dump") ask for the outlook, whatever the verb.
_FUTURE_AUX = ("will", "going to", "gonna", "gon", "about to", "likely to", "could", "might")
_FUTURE_VERBS = ("bounce", "pump", "dump", "recover", "moon", "crash", "rally", "drop",
                 "go up", "go down", "break out", "reverse", "continue", "keep going",
                 "dump more", "pump more", "go lower", "go higher", "fall", "rise")
_EXPECTED_MOVES = ("reversal", "bounce", "squeeze", "dump", "pump", "crash", "rally",
                   "breakout", "correction", "pullback", "recovery", "moon", "dip", "flush")
# "btc looking weak", "eth looks bullish": a statement about the look asks for our read.
_LOOKS = tuple(f"{look} {adj}" for look in ("looking", "looks", "look")
               for adj in ("weak", "strong", "bad", "good", "ugly", "heavy", "shaky",
                           "bullish", "bearish", "healthy", "rough"))
_WHY_MOVES = ("dump", "pump", "drop", "crash", "dip", "rally", "tank", "bleed", "fall",
              "red", "green", "down", "up", "weak", "strong", "moon", "nuke", "sell off",
              "selloff", "bounce", "going down", "going up")

_SPECS: tuple[IntentSpec, ...] = (
    IntentSpec(
        "price",
        _kw(NOUN, "price", "prices", "px", "quote", "last price", "price now", "spot price",
            "price check", "prc", "pric", "how much now", "how much currently",
            "how much is now")
        + _kw(STRONG, "cost", "worth", "trading at", "whats at", "what is at", "sitting at",
              "where is trading", "where is at", "usd", "going for", "trading for", "ticker")
        + _kw(STRONG, "at num", "still at", "still at num")  # "sol at 150 still?"
        + _kw(NOUN + 0.5, "at what now", "at what currently")  # "btc at what now"
        + _kw(STRONG, "how much is", "how much for", "how much", generic=True)
        + _kw(MEDIUM, "dollars", "value", "in dollars")
        + _kw(STRONG, "rate", generic=True)
        + _kw(MEDIUM, "trading", generic=True)
        + _kw(MEDIUM, "at", generic=True)
        + _kw(WEAK, "current", "now", "where is", "where are", generic=True),
    ),
    IntentSpec(
        "change",
        _kw(NOUN, "performance", "perform", "performed", "percent", "%", "24h change",
            "daily change", "weekly change", "percentage", "up or down today",
            "last num hours", "last 24h", "past num hours", "past 24h", "last num days",
            "past num days", "last day", "past day", "since yesterday")
        + _kw(NOUN, *(f"how much {aux}{verb}" for aux in ("", "is ", "are ", "has ", "did ")
                      for verb in ("dumped", "dropped", "pumped", "fell", "gained", "lost",
                                   "moved", "up", "down", "rose", "rallied", "crashed",
                                   "tanked", "dump", "pump", "drop", "move", "gain", "lose")))
        + _kw(NOUN, *(f"{move} how much" for move in (
            "dump", "pump", "drop", "fall", "rise", "rally", "tank", "crash", "move", "gain",
            "lose", "down", "up", "bleed", "dip")))
        + _kw(STRONG, "change", "changes", "move", "moved", "moving", "up or down",
              "how is doing", "gain", "gains", "lose", "lost", "loss", "green", "red",
              "how much did", "how much has", "pnl", "since yesterday", "bleeding")
        + _kw(STRONG, *_MOVES_PAST)
        + _kw(MEDIUM, "dump", "pump", "drop", "fall", "rise", "rally", "climbing", "did",
              "since", "down", "up", *_MOVES_ING)
        + _kw(MEDIUM + 0.5, "24h", "24 hours", "1d", "7d")
        + _kw(WEAK, "how much", "today", "this week", "doing", "daily", generic=True),
    ),
    IntentSpec(
        "range",
        _kw(NOUN, "range", "high low", "hi lo", "high and low", "lowest", "highest",
            "day range", "trading range", "bottom of", "low of", "high of", "highest price",
            "lowest price", "high price", "low price", "price range", "how deep", "was top",
            "was bottom", "was high", "was low", "was lowest", "was highest", "min max",
            "extremes", "topped", "bottomed", "did top", "did bottom", "topped at",
            "bottomed at", "top today", "bottom today", "wicked")
        + _kw(NOUN, "wick", "wicks", "how much wick", "did wick")
        + _kw(STRONG, "high", "low", "highs", "lows", "bounce", "bounced",
              "rebound", "rebounded", "how low did", "how high did", "how far did", "peak",
              "peaked", "intraday", "swing")
        + _kw(MEDIUM, "crash", "top", "bottom", "deep", "dip"),
    ),
    IntentSpec(
        "trend",
        _kw(NOUN, "trend", "trending", "uptrend", "downtrend", "adx", "dmi", "di", "rsi",
            "macd", "overbought", "oversold", "momentum", "technicals", "technical",
            "indicators", "indicator", "ta", "trend strength", "trendline",
            "market structure", "sideways", "choppy", "chopping", "ma", "mas", "sma", "ema",
            "moving average", "moving averages", "golden cross", "death cross", "crossover",
            "ta say", "bearish divergence", "bullish divergence", "divergence")
        + _kw(NOUN + 0.5, "ranging", "range bound", "rangebound")
        + _kw(STRONG, "chart", "charts", "structure")
        + _kw(MEDIUM, "strong", "strength", "weak", "reading"),
    ),
    IntentSpec(
        "bias",
        _kw(NOUN, "bias", "bullish", "bearish", "bull or bear", "bullish or bearish",
            "sentiment", "why tho", "buy or sell")
        + _kw(STRONG, "neutral", "bull", "bear", "reasoning", "reason", "how come", "why so",
              "what makes", "long or short", "your read", "your take", "your view",
              "thoughts", "opinion", "read", "mood", "vibe", "vibes", "stance", "verdict",
              "ape", "ape in", "aping", "or nah", "worth buying", "good buy", "buy now",
              "sell now", "fomo", "bull or bear", "is buy", "is sell", "buy signal",
              "sell signal", *_LOOKS)
        + _kw(STRONG, "should i buy", "should i sell", "time to buy", "time to sell",
              generic=True)
        + _kw(NOUN, *(f"{why} {move}" for why in ("why", "why is", "why are", "why so", "why did")
                    for move in _WHY_MOVES))
        + _kw(MEDIUM, "why", "call", "direction", *_MOVES_ING)
        + _kw(MEDIUM, "buy", "sell", generic=True)
        + _kw(MEDIUM, "should i", generic=True),
    ),
    IntentSpec(
        "support",
        _kw(NOUN, "support", "supports", "supp", "floor", "demand zone", "buy the dip",
            "buyers step in", "how low can", "needs to hold", "need to hold", "must hold",
            "where will bounce", "where can bounce", "where could bounce", "bounce zone",
            "where do bounce", "where does bounce", "where bounce", "where would bounce",
            "where to bounce", "where is bottom", "catch knife", "catch dip", "buy dip",
            "bottom support",
            "next support", "next floor", "next level down", "dip buy", "floor price",
            "price floor", "support price", "defend", "defends", "bulls defend",
            *(f"stop {move}" for move in ("falling", "dropping", "dumping", "bleeding",
                                          "going down", "crashing", "tanking")),
            "hold the line",
            *(f"{to} bearish" for to in ("for", "to", "be", "go", "turn", "become", "flips")),
            *(f"{low} {aux} go" for low in ("low", "lowest", "far down")
              for aux in ("can", "could", "might", "would", "will")),
            "bounce level", "buy wall", "levels below", "level below", "level down",
            "buy zone", "where to buy", "safety net",
            # "if eth loses this level, where next": the level below is asked for
            *(f"{lose} {what}" for lose in ("lose", "loses", "lost", "breaks", "break below")
              for what in ("level", "support", "floor")), "if loses", "if breaks down",
            "go lower", "goes lower", "we go lower", "fall further", "drop further",
            "breaks we go", "breaks go lower", "lower if", "below that")
        + _kw(STRONG, "demand", "hold", "holds", "find support", "at what price", "bids", "bid",
              "entry", "entries")
        + _kw(MEDIUM, "buyers", "below", "under")
        + _kw(MEDIUM, "dip", "nearest", "levels", "level", "zone", generic=True),
    ),
    IntentSpec(
        "resistance",
        _kw(NOUN, "resistance", "resistances", "res", "resist", "ceiling", "supply zone",
            "breakout level", "reversal level", "needs to break", "need to break",
            "to go higher", "flip bullish", "turn bullish", "levels above", "level above",
            "level up", "sell zone", "where to sell", "sell wall", "take profit", "rejected",
            "rejection", "get rejected", "rejects", "next resistance", "next ceiling",
            "next level up", "price ceiling", "resistance price", "price for reversal",
            "reversal price", "price to reclaim", "price to flip",
            *(f"{to} bullish" for to in ("for", "to", "be", "go", "turn", "become", "flips")),
            "flips bullish", "flip it bullish", "flip your view bullish", "view bullish",
            "make you bullish", "turn you bullish", "change your view",
            "flips it bullish", "break through", "breakthrough")
        + _kw(STRONG, "supply", "breakout", "break", "reversal", "flip", "sellers",
              "overhead", "cap", "capped", "reclaim", "retake", "break above",
              "at what price", "wall")
        + _kw(MEDIUM, "above")
        + _kw(MEDIUM, "levels", "level", "zone", "zones", generic=True),
    ),
    IntentSpec(
        "outlook",
        _kw(NOUN, "outlook", "wen", "moon", "lambo", "prediction", "predictions", "predict",
            "forecast", "target", "price target", "whats next", "what is next",
            "what next", "next move", "where we going", "what happens", "to num", "whats coming",
            "hit num", "reach num", "what now", "now what", "when num",
            "num when", "from here", "where do go", "where are going", "where is going",
            "where going", "price prediction", "price forecast", "price outlook",
            "going up or down", "headed", "more likely", "likely up", "likely down",
            "in one week", "in a week", "in num week", "in num days", "in num hours",
            "where headed", "bull run", "bear market",
            "next week", "next month", "next year", "next few days", "going up",
            "going where", "headed where", "heading where", "next leg", "leg down", "leg up",
            *(f"{move} over" for move in ("dump", "pump", "crash", "rally", "selloff",
                                          "correction", "bear market", "bull run", "dip")),
            "going down",
            *(f"{aux} {verb}" for aux in _FUTURE_AUX for verb in _FUTURE_VERBS),
            *(f"{move} {soon}" for move in _EXPECTED_MOVES
              for soon in ("coming", "soon", "incoming")))
        + _kw(STRONG, "heading", "expect", "recover", "downside", "upside", "scenario",
              "play", "plan", "going higher", "going lower", "go higher", "go lower",
              "bottom in", "top in", "more downside", "more upside", "go up", "go down",
              "capitulation", "higher", "lower", "heading", "is bottom", "is top")
        + _kw(MEDIUM, "next", "coming", "incoming")
        + _kw(MEDIUM, "will", "going to", "future", "week ahead", "short term",
              "long term", "pump", "dump", "when", "num", generic=True)
        + _kw(STRONG, "tomorrow", generic=True)
        + _kw(MEDIUM, "weekend", generic=True)
        + _kw(WEAK, "going", "can", "later", generic=True),
    ),
    IntentSpec(
        "whales",
        _kw(METRIC, "whale", "whales", "smart money", "big players", "big wallets",
            "big trades", "big money", "big boys", "big guys", "big fish", "large trades",
            "whale alert", "institutions", "funds", "big holders", "large holders", "sharks",
            "insiders",
            "big orders", "large orders", "big positions", "large positions",
            "whale positions")
        + _kw(STRONG, "wallets", "big buyers", "big sellers", "accumulating", "accumulation",
              "distribution", "hyperliquid")
        + _kw(MEDIUM, "flows")
        + _kw(MEDIUM, "big", "large", generic=True),
    ),
    IntentSpec(
        "long_short",
        _kw(METRIC, "long short", "longs shorts", "long short ratio", "ls", "lsr",
            "ls ratio", "long to short", "longs to shorts", "positioning", "positioned",
            "longs vs shorts", "long vs short", "everyone long", "everyone short",
            "how many shorts", "how many longs", "traders long", "traders short",
            "% long", "% short", "% are long", "% are short", "percent long",
            "percent short", "longs or shorts", "many longs", "many shorts", "more longs",
            "more shorts", "lots of longs", "lots of shorts",
            "long or short ratio", "who is winning",
            "winning", "account ratio", "top trader ratio")
        + _kw(STRONG, "crowded", "traders", "ratio of longs", "most people", "people long",
              "people short", "most long", "most short", "crowd", "retail", "piling in",
              "piling", "shorting", "longing", "shorted", "longed", "short squeeze",
              "long squeeze", "long heavy", "short heavy", "people long or short",
              "everyone long or short", "traders long or short")
        + _kw(MEDIUM, "are long", "are short", "long or short", "ratio", "squeeze")
        + _kw(WEAK, "longs", "shorts"),
    ),
    IntentSpec(
        "open_interest",
        _kw(METRIC, "open interest", "oi", "open positions", "leverage building",
            "open contracts", "open int", "new money", "fresh money", "money coming in",
            "money flowing in", "leverage coming in", "leverage flush", "oi flush")
        + _kw(STRONG, "interest")
        + _kw(MEDIUM, "leverage", "positions", "open"),
    ),
    IntentSpec(
        "volume",
        _kw(METRIC, "volume", "volumes", "vol", "traded", "turnover", "trading volume",
            "how active")
        + _kw(STRONG, "activity", "trading activity", "liquidity", "liquid"),
    ),
    IntentSpec(
        "funding",
        _kw(METRIC, "funding", "fundings", "funding rate", "funding rates", "longs paying",
            "shorts paying", "paying", "funding fee", "perp premium")
        + _kw(STRONG, "pay", "pays", "carry", "premium", "basis")
        + _kw(MEDIUM, "rate", "rates", "fees", "negative", "positive"),
    ),
    IntentSpec(
        "explain",
        (),
    ),
    IntentSpec(
        "help",
        _kw(NOUN, "help", "halp", "commands", "command", "what can you do", "what can i ask",
            "what do you know", "how do i use", "how does this work", "what questions",
            "how to use", "what can you", "what do you do", "what can bot do",
            "what does bot do", "what can do", "what is bot", "guide", "tutorial",
            "instructions", "how to", "how does bot work", "what are you", "what can i do",
            "usage", "example questions", "what should i ask", "how do i ask")
        + _kw(STRONG, "can you do", "options", "menu", "features", "examples", "start",
              "what do you answer", "what can you answer", "what can you tell",
              "answer")
        + _kw(WEAK, "bot", "ask"),
    ),
)

CATALOG: Mapping[str, IntentSpec] = MappingProxyType({s.name: s for s in _SPECS})

# How much an off-topic subject ("airdrop") or an exchange name ("coinbase") weighs
# against the intents: see ``cues.OUT_OF_SCOPE`` and ``cues.VENUE_NAMES``.
OUT_OF_SCOPE_WEIGHT = NOUN + 0.5
VENUE_WEIGHT = STRONG


def intents_for_help() -> tuple[str, ...]:
    """The intents with an example question under "I can answer …", in catalog order."""
    return tuple(name for name in INTENTS if name != "help")


# ----------------------------------------------------------------------------------------
# Issue #15: other languages, cross rates, conversions and timeframe follow-ups.

#: Other languages' words: ``languages.FOREIGN_WORDS`` (rewritten to these keywords).

#: Timeframe words of a follow-up ("what about the weekly?", "4h?"); "1w" is not computed.
TIMEFRAME_WORDS: Mapping[str, str] = MappingProxyType({
    "1h": "1h", "h1": "1h", "hourly": "1h", "60m": "1h", "1hr": "1h",
    "4h": "4h", "h4": "4h", "4hr": "4h", "4hour": "4h", "240m": "4h",
    "1d": "1d", "d1": "1d", "daily": "1d", "1day": "1d",
    "1w": "1w", "w1": "1w", "weekly": "1w", "1week": "1w",
    "monthly": "1M", "1month": "1M",
    "5m": "5m", "15m": "15m", "30m": "30m", "5min": "5m", "15min": "15m", "30min": "30m",
})
#: Intents that read differently per timeframe (a timeframe follow-up repeats them).
TIMEFRAME_INTENTS: frozenset[str] = frozenset({"trend", "bias", "support", "resistance"})
#: Timeframes the analysis computes indicators for.
COMPUTED_TIMEFRAMES: tuple[str, ...] = ("1h", "4h", "1d")

#: Pair intents, answered from two coins' spot prices (not in ``INTENTS``: no post
#: template of their own, and the related-question buttons never offer them).
PAIR_INTENTS: tuple[str, ...] = ("cross", "convert")
#: Words that compare two coins ("is sol stronger than eth"): a cross rate answers them.
COMPARE_WORDS: frozenset[str] = frozenset(
    {"compare", "compared", "comparison", "stronger", "weaker", "outperform", "outperforming",
     "outperformed", "underperform", "underperforming", "underperformed", "better", "worse"}
)
#: Words that make two coins a cross rate ("eth vs btc", "sol in btc terms").
CROSS_CUES: frozenset[str] = frozenset(
    {"vs", "against", "ratio", "terms", "cross", "pair", "relative", "denominated",
     "priced", "chart", "rate", "price", "in"}
)
#: Words that send an amount into another unit ("0.5 btc in usd", "2 eth = ? btc").
CONVERT_CUES: frozenset[str] = frozenset(
    {"in", "to", "into", "=", "as", "worth", "for", "convert", "many", "much", "get", "buy",
     "buys", "of"}
)
#: Dollar units of a conversion (stablecoins are taken at one dollar).
DOLLAR_UNITS: Mapping[str, str] = MappingProxyType({
    "usd": "USD", "usdt": "USDT", "usdc": "USDC", "dollar": "USD", "dollars": "USD",
    "bucks": "USD", "$": "USD", "busd": "USD", "fdusd": "USD", "dai": "USD",
})
