"""Word lists around the intent catalog: explain topics and cues, off-topic subjects,
small talk and follow-up fillers (``match.py`` reads them next to ``intents.CATALOG``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Explain topics: canonical topic → phrases that name it.
TOPIC_PHRASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "rsi": ("rsi", "relative strength", "relative strength index", "overbought",
                "oversold"),
        "macd": ("macd", "signal line", "macd histogram"),
        "adx": ("adx", "average directional", "average directional index"),
        "dmi": ("dmi", "di", "directional movement", "directional movement index"),
        "atr": ("atr", "average true range", "true range"),
        "sma": ("sma", "simple moving average", "moving average", "moving averages", "ma",
                "mas", "golden cross", "death cross"),
        "ema": ("ema", "exponential moving average", "emas"),
        "funding": ("funding", "funding rate", "funding rates"),
        "open_interest": ("open interest", "oi"),
        "long_short": ("long short ratio", "long short", "ls ratio", "longs shorts", "ls"),
        "liquidation": ("liquidation", "liquidations", "liquidated", "liq", "liqs",
                        "rekt", "liquidate", "liquidation price"),
        "leverage": ("leverage", "leveraged", "margin", "margin trading", "num x",
                     "10x", "100x", "5x", "20x", "50x", "25x"),
        "support": ("support", "support level", "support and resistance", "supports"),
        "resistance": ("resistance", "resistance level", "resistances"),
        "volatility": ("volatility", "volatile"),
        "volume": ("volume", "trading volume", "volumes"),
        "bias": ("bias",),
        "whales": ("whale", "whales"),
    }
)

# Words that ask for a definition rather than a reading.
EXPLAIN_CUES: tuple[str, ...] = (
    "mean", "means", "meaning", "explain", "explained", "define", "definition", "eli5",
    "difference between", "counts as", "stand for", "stands for", "how do get",
    "tell me about", "teach", "calculated", "how to read", "how do read", "how do you read",
    "tell me", "tell you", "tell us", "what is that", "whats that", "what does do",
    "used for", "good for", "how is calculated", "what do do", "measure", "measures",
    "indicate", "indicates", "stand for", "what happens when", "what happens if",
    "when you get", "if you get", "if get", "matter", "matters", "why important",
    "im new", "i am new", "new to", "noob", "newbie", "beginner",
    "what is this", "whats this", "thing you write", "thing you say", "you write", "you mention",
    "this word", "that word", "in simple words", "in plain words",
)
# Polite openers ("tell me …") that ask for a reading when a coin is named.
POLITE_CUES: frozenset[str] = frozenset({"tell me", "tell you", "tell us"})
EXPLAIN_QUESTION_STARTS: tuple[str, ...] = ("what is", "wtf is", "whats", "what are")

# Words allowed around the topic in a bare "what is X?" definition question.
DEFINITION_EXTRAS: frozenset[str] = frozenset(
    {"a", "an", "exactly", "in", "crypto", "trading", "actually", "again", "please",
     "indicator", "thing", "ratio", "rate", "level", "levels", "futures", "bro", "ser",
     "and", "or", "mean", "even", "anyway", "num", "day", "period", "fee", "fees", "score",
     "index", "for"}
)

# Topics with a live reading: "whats funding" asks for the value, not a definition.
READING_TOPICS: frozenset[str] = frozenset(
    {"funding", "open_interest", "long_short", "volume", "bias", "support", "resistance"}
)
# Topics no reading intent covers: a bare mention ("liquidations?") asks what they are.
EXPLAIN_ONLY_TOPICS: frozenset[str] = frozenset(
    {"liquidation", "leverage", "atr", "sma", "ema", "volatility"}
)

# Subjects the posts do not cover: their mention outweighs a generic cue ("wen airdrop").
OUT_OF_SCOPE: tuple[str, ...] = (
    "ath", "all time high", "airdrop", "airdrops", "listing", "listed", "list", "news",
    "market cap", "mcap", "marketcap", "fdv", "unlock", "unlocks", "staking",
    "stake", "apy", "apr", "etf", "halving", "seed phrase", "scam", "rug", "tokenomics",
    "roadmap", "team", "dev", "devs",
    "whitepaper", "best wallet", "best exchange", "best coin", "fav coin", "favorite coin",
    "which wallet", "which exchange", "tax", "taxes", "weather", "joke", "poem", "gas",
    "gas fees", "gwei", "fed", "fomc", "cpi", "election", "elections", "meeting", "rates cut",
)
# Exchanges: "is coinbase down" is off-topic, but "binance funding" still asks for funding.
VENUE_NAMES: tuple[str, ...] = (
    "coinbase", "binance", "bybit", "okx", "kraken", "kucoin", "bitget", "gate", "mexc",
    "bitfinex", "bitmex", "deribit", "hyperliquid",
)

# Words joining two questions in one message ("price and funding?").
CONJUNCTIONS: frozenset[str] = frozenset({"and", "also", "plus", "then", "&"})

# Greetings and chit-chat removed before matching ("what's up" is not about price).
SMALL_TALK: tuple[str, ...] = ("whats up", "what is up", "wassup", "wazzup", "sup")

# Bare follow-up fillers: "and eth?", "same for sol", "what about doge then".
FOLLOWUP_FILLERS: frozenset[str] = frozenset(
    {"and", "what", "about", "how", "same", "for", "too", "also", "then", "now", "ok",
     "okay", "pls", "please", "but", "the", "with", "same for", "one", "plz", "so",
     "is", "of", "ser", "hmm", "k", "as", "well", "aswell", "either"}
)

# Words that make a message about the market even when no question is recognised: such a
# message gets the nearest answer (the coin's price and move), never the "not sure" list.
MARKET_WORDS: frozenset[str] = frozenset(
    {"price", "prices", "market", "markets", "crypto", "coin", "coins", "token", "tokens",
     "chart", "charts", "pump", "pumping", "dump", "dumping", "bull", "bear", "bullish",
     "bearish", "trade", "trading", "trend", "candle", "candles", "rally", "dip", "crash",
     "moon", "rekt", "hodl", "ath", "sats", "altcoins", "alts", "summary", "update",
     "figures", "numbers", "situation", "picture", "overview", "status", "doing", "moving",
     "move", "moves", "up", "down", "green", "red", "level", "levels", "going", "worth"}
)
