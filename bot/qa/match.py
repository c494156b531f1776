"""Match a chat question onto an intent of the catalog, with its topic and symbol.

Keywords vote with weights (exact, stemmed or within one or two typos via rapidfuzz's
OSA distance); the best intent wins when it scores enough and clearly beats the runner-up,
otherwise the answer is ``unknown`` — the caller then says what the bot can answer.
Off-topic subjects ("airdrop", "ath") vote for ``unknown``; of two questions in one
message the first is answered; vague words ("should i sell") count alone only when they
explain the whole question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.config import Settings
from bot.qa import cues
from bot.qa import intents as cat
from bot.qa.pairs import PairAsk, find_pair
from bot.qa.symbols import find_symbols
from bot.qa.text import is_reaction, stems, tokens, word_of
from bot.qa.timeframes import bare_timeframe, find_timeframe
from bot.symbols import SymbolBook, symbol_book

MIN_SCORE = 2.0
MIN_CONFIDENCE = 0.4
# The first part of "X and Y" counts as its own question only when clearly one.
FIRST_PART_CONFIDENCE = 0.6
PHRASE_BONUS = 0.25

# Frequent words that must never be read as a typo of a keyword ("while" ≠ "whale").
_COMMON_TEXT = """a an and are as at be been but by can could did do does doing for from get go
    got had has have he her here him his how i if in into is it its just like me more most my
    no not now of off on one only or our out over really said same see she should so some
    than that the their them then there these they this those to too under up very was we
    were what whats when where which while who why will with would yes you your well sure
    think thing things still since point trade trades sport short shorts long longs word
    world white whole mean means today week month year time"""
COMMON_WORDS: frozenset[str] = frozenset(_COMMON_TEXT.split())


@dataclass(frozen=True, slots=True)
class Match:
    """What a question asks: intent (or ``unknown``), explain topic, symbol, confidence.

    ``is_followup_same_intent`` marks "and eth?"-style questions that repeat the chat's
    last intent for a new symbol (their ``intent`` is ``unknown``: ``context.resolve``
    supplies it); ``symbol`` is the first coin named; ``symbol_supported`` is false for
    coins the bot has no data for (e.g. DOGE), so the caller can say so instead.
    ``timeframe`` is the chart asked about ("on the 4h"; a bare "weekly?" is a follow-up
    with only a timeframe); ``pair`` holds the two units of a cross rate or conversion.
    """

    intent: str
    topic: str | None
    symbol: str | None
    confidence: float
    is_followup_same_intent: bool = False
    symbol_supported: bool = True
    timeframe: str | None = None
    pair: PairAsk | None = None


@lru_cache(maxsize=1)
def _guarded_words() -> frozenset[str]:
    words = {w for spec in cat.CATALOG.values() for k in spec.keywords for w in k.words}
    words |= {w for phrases in cues.TOPIC_PHRASES.values() for p in phrases for w in p.split()}
    return frozenset(words | COMMON_WORDS | cues.FOLLOWUP_FILLERS)


@lru_cache(maxsize=65536)
def word_similarity(keyword: str, word: str) -> float:
    """1.0 for the same word (or a stem of it), 0.85 for a likely typo, else 0.0."""
    if keyword in stems(word) or (keyword == word + "s" and word not in COMMON_WORDS):
        return 1.0  # the same word, a stem of it, or its plural ("bid" ~ "bids")
    if word in _guarded_words() or not keyword.isalpha() or not word.isalpha():
        return 0.0
    if keyword[0] != word[0]:
        return 0.0
    if len(keyword) == 4 == len(word) and sorted(keyword) == sorted(word):
        return 0.85
    if len(keyword) >= 5 and len(word) >= 4 and OSA.distance(keyword, word) <= 1:
        return 0.85
    if len(keyword) >= 8 and len(word) >= 6 and OSA.distance(keyword, word) <= 2:
        return 0.8
    return 0.0


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Every word of every phrase the matcher looks for."""
    phrases = [" ".join(k.words) for spec in cat.CATALOG.values() for k in spec.keywords]
    phrases += [p for group in cues.TOPIC_PHRASES.values() for p in group]
    phrases += [*cues.EXPLAIN_CUES, *cues.OUT_OF_SCOPE, *cues.VENUE_NAMES]
    return frozenset(w for p in phrases for w in p.split())


@lru_cache(maxsize=8192)
def _keywords_like(word: str) -> frozenset[str]:
    """The vocabulary words ``word`` can stand for (a typo or stem shares the first letter)."""
    return frozenset(k for k in _vocabulary() if k[:1] == word[:1] and word_similarity(k, word))


@lru_cache(maxsize=1024)
def _present(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_keywords_like(w) for w in words))


def _find_phrase(
    phrase: Sequence[str], words: Sequence[str], used: set[int]
) -> tuple[int, float] | None:
    vocabulary, present = _vocabulary(), _present(tuple(words))
    if any(k in vocabulary and k not in present for k in phrase):
        return None  # a word of the phrase is missing: skip the scan
    size = len(phrase)
    for start in range(len(words) - size + 1):
        span = range(start, start + size)
        if any(i in used for i in span):
            continue
        sims = [word_similarity(k, words[i]) for k, i in zip(phrase, span, strict=True)]
        if min(sims) > 0:
            return start, min(sims)
    return None


@lru_cache(maxsize=32)
def _ordered_keywords(name: str) -> tuple[tuple[tuple[str, ...], float, bool], ...]:
    """An intent's keywords as (words, weight, generic), longest and heaviest first."""
    keywords = [(k.words, k.weight, k.generic) for k in cat.CATALOG[name].keywords]
    return tuple(sorted(keywords, key=lambda k: (-len(k[0]), -k[1])))


def _score_and_cover(
    spec: cat.IntentSpec, words: Sequence[str], generic: bool
) -> tuple[float, frozenset[int]]:
    """An intent's keyword score for ``words`` and the word positions its keywords used."""
    used: set[int] = set()
    total = 0.0
    present = _present(tuple(words))
    for phrase, weight, is_generic in _ordered_keywords(spec.name):
        if (is_generic and not generic) or not all(k in present for k in phrase):
            continue
        found = _find_phrase(phrase, words, used)
        if found is None:
            continue
        start, sim = found
        used.update(range(start, start + len(phrase)))
        total += (weight + PHRASE_BONUS * (len(phrase) - 1)) * sim
    return total, frozenset(used)


def _intent_score(spec: cat.IntentSpec, words: Sequence[str], generic: bool) -> float:
    return _score_and_cover(spec, words, generic)[0]


def _generic_only_scores(words: Sequence[str]) -> dict[str, float]:
    """Generic keywords alone ("should i sell?") count when they explain the whole question;
    one unexplained word ("should i buy a house") means it is not about the market."""
    results = {n: _score_and_cover(spec, words, True) for n, spec in cat.CATALOG.items()}
    score, cover = max(results.values(), key=lambda r: r[0])
    unexplained = [w for i, w in enumerate(words) if i not in cover
                   and w not in COMMON_WORDS and w not in cues.FOLLOWUP_FILLERS]
    if score and not unexplained:
        return {n: r[0] for n, r in results.items()}
    return {n: 0.0 for n in results}


def intent_scores(words: Sequence[str], market_context: bool) -> dict[str, float]:
    """Each catalog intent's keyword score for ``words`` (lower-case, symbols removed).

    Generic keywords count only with ``market_context``, when some specific one matched,
    or when they explain every word of the question.
    """
    scores = {n: _intent_score(spec, words, False) for n, spec in cat.CATALOG.items()}
    if market_context or any(scores.values()):
        scores = {n: _intent_score(spec, words, True) for n, spec in cat.CATALOG.items()}
    else:
        scores = _generic_only_scores(words)
    if any(scores[n] >= cat.METRIC for n in cat.METRIC_INTENTS):
        for name in cat.MODIFIER_INTENTS:
            scores[name] *= cat.MODIFIER_DISCOUNT
    if any(_has(words, phrase) for phrase in cues.OUT_OF_SCOPE):
        scores[cat.UNKNOWN] = cat.OUT_OF_SCOPE_WEIGHT
    elif any(_has(words, venue) for venue in cues.VENUE_NAMES):
        scores[cat.UNKNOWN] = cat.VENUE_WEIGHT
    return scores


def find_topic(words: Sequence[str]) -> str | None:
    """The explain topic named in ``words`` (longest phrase first), if any."""
    best: tuple[int, int, str] | None = None
    for topic, phrases in cues.TOPIC_PHRASES.items():
        for phrase in phrases:
            found = _find_phrase(phrase.split(), words, set())
            if found is None:
                continue
            rank = (len(phrase.split()), -found[0], topic)
            if best is None or rank[:2] > best[:2]:
                best = rank
    return best[2] if best else None


def _has(words: Sequence[str], phrase: str) -> bool:
    return _find_phrase(phrase.split(), words, set()) is not None


def _asks_definition(words: Sequence[str], topic: str, named_symbol: bool) -> bool:
    """True when the question asks what ``topic`` means rather than its current value."""
    reading = named_symbol and topic in cues.READING_TOPICS
    if any(_has(words, cue) for cue in cues.EXPLAIN_CUES
           if not (reading and cue in cues.POLITE_CUES)):
        return True
    if list(words[-3:]) in (["what", "is", "it"], ["what", "is", "that"]):
        return True  # "open interest, what is it?"
    if "how" in words and ({"work", "works", "working"} & set(words)):
        return True
    if named_symbol or not words:
        return False
    opener = next((s for s in cues.EXPLAIN_QUESTION_STARTS if _starts(words, s)), None)
    if opener is None:
        return False
    rest = list(words[len(opener.split()):])
    if rest and rest[0] == "the" and ({"num", "indicator"} & set(rest)):
        rest = rest[1:]  # "what is the 200 ma", "what is the macd indicator"
    article = bool(rest) and rest[0] in ("a", "an")
    topic_words = {w for p in cues.TOPIC_PHRASES[topic] for w in p.split()}
    leftover = [w for w in rest if w not in topic_words and w not in cues.DEFINITION_EXTRAS
                and not any(word_similarity(t, w) for t in topic_words)]
    if leftover:
        return False
    return article or not (opener == "whats" and topic in cues.READING_TOPICS)


def _compared_topic(words: Sequence[str]) -> str | None:
    """For "ema vs sma?", the first of two different topics being compared."""
    if "vs" not in words:
        return None
    cut = list(words).index("vs")
    left, right = find_topic(words[:cut]), find_topic(words[cut + 1:])
    return left if left is not None and right is not None and left != right else None


def _starts(words: Sequence[str], phrase: str) -> bool:
    parts = phrase.split()
    return list(words[: len(parts)]) == parts


def _is_bare_followup(words: Sequence[str]) -> bool:
    return all(w in cues.FOLLOWUP_FILLERS for w in words)


def _without_small_talk(words: list[str]) -> list[str]:
    for phrase in cues.SMALL_TALK:
        parts = phrase.split()
        if list(words[: len(parts)]) == parts:
            return words[len(parts):]
    return words


def match_question(text: str, settings: Settings) -> Match:
    """Match ``text`` onto an intent; ``unknown`` rather than a confident wrong guess."""
    toks = tokens(text)
    if is_reaction(text):
        return Match(cat.UNKNOWN, None, None, 0.0)
    book = symbol_book(settings)
    hits = find_symbols(toks, book)
    covered = {i for hit in hits for i in range(hit.start, hit.stop)}
    all_words = [word_of(t) for i, t in enumerate(toks) if i not in covered]
    all_words = _without_small_talk(all_words)
    words = [w for w in all_words if w not in cat.SKIPPED_WORDS]
    symbol = hits[0].symbol if hits else None
    supported = symbol is None or book.is_configured(symbol)

    def result(intent: str, topic: str | None, confidence: float, followup: bool = False,
               timeframe: str | None = None) -> Match:
        return Match(intent, topic, symbol, round(confidence, 3), followup, supported,
                     timeframe)

    pair = _pair_asked(text, words, book)
    if pair is not None:
        return pair
    chart_words = [t.lower().lstrip("$#") for i, t in enumerate(toks) if i not in covered]
    timeframe = bare_timeframe(chart_words)
    if timeframe is not None:
        return result(cat.UNKNOWN, None, 0.9, followup=True, timeframe=timeframe)
    if hits and _is_bare_followup(all_words):
        return result(cat.UNKNOWN, None, 0.9, followup=True)
    topic = find_topic(words)
    compared = _compared_topic(words)
    if compared is not None:
        return result("explain", compared, 0.8)
    if topic is not None and _asks_definition(all_words, topic, bool(hits)):
        return result("explain", topic, 0.9)
    if topic is None and not hits and "how" in words and {"work", "works"} & set(words):
        return result("help", None, 0.6)  # "how does this thing work?"
    first_asked = _first_of_several(words, bool(hits))
    if first_asked is not None:
        return result(*first_asked)
    # "liquidations?", "leverage?? how": no reading covers these, so unless another
    # intent is named outright, the question is what they are.
    if (topic in cues.EXPLAIN_ONLY_TOPICS and not hits
            and max(intent_scores(words, False).values()) < cat.NOUN):
        return result("explain", topic, 0.5)
    best, confidence = best_intent(words, bool(hits))
    off_topic = any(_has(words, phrase) for phrase in cues.OUT_OF_SCOPE)
    if best == cat.UNKNOWN and topic in cues.EXPLAIN_ONLY_TOPICS and not off_topic:
        return result("explain", topic, 0.5)
    named = find_timeframe(chart_words) if best in cat.TIMEFRAME_INTENTS else None
    return result(best, None, confidence, timeframe=named[0] if named else None)


def _pair_asked(text: str, words: Sequence[str], book: SymbolBook) -> Match | None:
    """A cross rate or conversion question, unless a cross names a metric ("btc vs eth
    funding": that metric is asked about)."""
    found = find_pair(text, book)
    if found is None:
        return None
    intent, pair = found
    if intent == "cross" and any(
        score >= cat.METRIC and name in cat.METRIC_INTENTS
        for name, score in intent_scores(words, True).items()
    ):
        return None
    missing = [c for c in pair.coins if not book.is_configured(c)]
    symbol = missing[0] if missing else (pair.coins[0] if pair.coins else pair.base)
    return Match(intent, None, symbol, 0.9, symbol_supported=not missing, pair=pair)


def best_intent(words: Sequence[str], market_context: bool) -> tuple[str, float]:
    """The winning intent for ``words`` and its confidence (``unknown`` when unsure)."""
    # On a tie a metric noun ("whales buying or selling") outranks words around it.
    scores = sorted(intent_scores(words, market_context).items(),
                    key=lambda kv: (-kv[1], kv[0] not in cat.METRIC_INTENTS))
    (best, top), (_, runner_up) = scores[0], scores[1]
    if top < MIN_SCORE or best == cat.UNKNOWN:
        return cat.UNKNOWN, 0.0
    # How far the winner clears one subject noun, times its share of the top two scores.
    confidence = min(1.0, top / cat.NOUN) * top / (top + runner_up)
    if confidence < MIN_CONFIDENCE:
        return cat.UNKNOWN, confidence
    return best, confidence


def _first_of_several(
    words: Sequence[str], market_context: bool
) -> tuple[str, None, float] | None:
    """For "price and funding?", the first question asked, when each part asks its own."""
    cut = next((i for i, w in enumerate(words) if w in cues.CONJUNCTIONS), None)
    if cut is None or cut == 0:
        return None
    first, first_conf = best_intent(words[:cut], market_context)
    if first_conf < FIRST_PART_CONFIDENCE:
        return None  # "i was away all weekend and …": a remark, not a first question
    second, _ = best_intent(words[cut + 1:], market_context)
    if cat.UNKNOWN in (first, second) or first == second:
        return None
    return first, None, first_conf
