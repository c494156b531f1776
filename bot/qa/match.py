"""Match a chat question onto an intent of the catalog, with its topic and symbol.

Keywords vote with weights (exact, stemmed or within one or two typos via rapidfuzz's
OSA distance); the best intent wins when it scores enough and clearly beats the runner-up,
otherwise the answer is ``unknown`` — the caller then says what the bot can answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.config import Settings
from bot.qa import intents as cat
from bot.qa.symbols import find_symbols, symbol_book
from bot.qa.text import stems, tokens, word_of

MIN_SCORE = 2.0
MIN_CONFIDENCE = 0.4
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
    """

    intent: str
    topic: str | None
    symbol: str | None
    confidence: float
    is_followup_same_intent: bool = False
    symbol_supported: bool = True


@lru_cache(maxsize=1)
def _guarded_words() -> frozenset[str]:
    words = {w for spec in cat.CATALOG.values() for k in spec.keywords for w in k.words}
    words |= {w for phrases in cat.TOPIC_PHRASES.values() for p in phrases for w in p.split()}
    return frozenset(words | COMMON_WORDS | cat.FOLLOWUP_FILLERS)


@lru_cache(maxsize=65536)
def word_similarity(keyword: str, word: str) -> float:
    """1.0 for the same word (or a stem of it), 0.85 for a likely typo, else 0.0."""
    if keyword in stems(word):
        return 1.0
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


def _find_phrase(
    phrase: Sequence[str], words: Sequence[str], used: set[int]
) -> tuple[int, float] | None:
    size = len(phrase)
    for start in range(len(words) - size + 1):
        span = range(start, start + size)
        if any(i in used for i in span):
            continue
        sims = [word_similarity(k, words[i]) for k, i in zip(phrase, span, strict=True)]
        if min(sims) > 0:
            return start, min(sims)
    return None


def _intent_score(spec: cat.IntentSpec, words: Sequence[str], generic: bool) -> float:
    used: set[int] = set()
    total = 0.0
    ordered = sorted(spec.keywords, key=lambda k: (-len(k.words), -k.weight))
    for keyword in ordered:
        if keyword.generic and not generic:
            continue
        found = _find_phrase(keyword.words, words, used)
        if found is None:
            continue
        start, sim = found
        used.update(range(start, start + len(keyword.words)))
        total += (keyword.weight + PHRASE_BONUS * (len(keyword.words) - 1)) * sim
    return total


def intent_scores(words: Sequence[str], market_context: bool) -> dict[str, float]:
    """Each catalog intent's keyword score for ``words`` (lower-case, symbols removed).

    Generic keywords count only with ``market_context`` or when some specific one matched.
    """
    scores = {n: _intent_score(spec, words, False) for n, spec in cat.CATALOG.items()}
    if market_context or any(scores.values()):
        scores = {n: _intent_score(spec, words, True) for n, spec in cat.CATALOG.items()}
    if any(scores[n] >= cat.METRIC for n in cat.METRIC_INTENTS):
        for name in cat.MODIFIER_INTENTS:
            scores[name] *= cat.MODIFIER_DISCOUNT
    return scores


def find_topic(words: Sequence[str]) -> str | None:
    """The explain topic named in ``words`` (longest phrase first), if any."""
    best: tuple[int, int, str] | None = None
    for topic, phrases in cat.TOPIC_PHRASES.items():
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
    if any(_has(words, cue) for cue in cat.EXPLAIN_CUES):
        return True
    if any(_has(words, cue) for cue in cat.EXPLAIN_WORK_CUES) and "work" in words:
        return True
    if named_symbol or not words:
        return False
    opener = next((s for s in cat.EXPLAIN_QUESTION_STARTS if _starts(words, s)), None)
    if opener is None:
        return False
    rest = list(words[len(opener.split()):])
    article = bool(rest) and rest[0] in ("a", "an")
    topic_words = {w for p in cat.TOPIC_PHRASES[topic] for w in p.split()}
    leftover = [w for w in rest if w not in topic_words and w not in cat.DEFINITION_EXTRAS
                and not any(word_similarity(t, w) for t in topic_words)]
    if leftover:
        return False
    return article or not (opener == "whats" and topic in cat.READING_TOPICS)


def _starts(words: Sequence[str], phrase: str) -> bool:
    parts = phrase.split()
    return list(words[: len(parts)]) == parts


def _is_bare_followup(words: Sequence[str]) -> bool:
    return all(w in cat.FOLLOWUP_FILLERS for w in words)


def _without_small_talk(words: list[str]) -> list[str]:
    for phrase in cat.SMALL_TALK:
        parts = phrase.split()
        if list(words[: len(parts)]) == parts:
            return words[len(parts):]
    return words


def match_question(text: str, settings: Settings) -> Match:
    """Match ``text`` onto an intent; ``unknown`` rather than a confident wrong guess."""
    toks = tokens(text)
    book = symbol_book(settings)
    hits = find_symbols(toks, book)
    covered = {i for hit in hits for i in range(hit.start, hit.stop)}
    all_words = [word_of(t) for i, t in enumerate(toks) if i not in covered]
    all_words = _without_small_talk(all_words)
    words = [w for w in all_words if w not in cat.SKIPPED_WORDS]
    symbol = hits[0].symbol if hits else None
    supported = symbol is None or book.is_configured(symbol)

    def result(intent: str, topic: str | None, confidence: float, followup: bool = False) -> Match:
        return Match(intent, topic, symbol, round(confidence, 3), followup, supported)

    if hits and _is_bare_followup(all_words):
        return result(cat.UNKNOWN, None, 0.9, followup=True)
    topic = find_topic(words)
    if topic is not None and _asks_definition(all_words, topic, bool(hits)):
        return result("explain", topic, 0.9)
    scores = sorted(intent_scores(words, bool(hits)).items(), key=lambda kv: -kv[1])
    (best, top), (_, runner_up) = scores[0], scores[1]
    if top < MIN_SCORE:
        if topic is not None and topic in cat.EXPLAIN_ONLY_TOPICS:
            return result("explain", topic, 0.5)
        return result(cat.UNKNOWN, None, 0.0)
    # How far the winner clears one subject noun, times its share of the top two scores.
    confidence = min(1.0, top / cat.NOUN) * top / (top + runner_up)
    if confidence < MIN_CONFIDENCE:
        return result(cat.UNKNOWN, None, confidence)
    return result(best, None, confidence)
