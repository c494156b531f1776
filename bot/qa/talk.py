"""Conversation around the questions: small talk, requests the bot cannot do, opinions, and
messages that ask several things at once — a pure classification of the words.

``classify`` sorts one message (or one part of a compound message) into a ``Talk`` kind, or
returns ``None`` when it is an ordinary market question for the matcher. ``split_questions``
cuts a message into the questions it asks (question marks, line breaks, "also"; "and" only
when both sides ask something). Wording is the templates' (``templates/qa/talk.j2``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from bot.alerts.phrases import parse_phrase
from bot.alerts.rules import AlertRequest
from bot.config import Settings
from bot.errors import BadArgumentError
from bot.qa import cues
from bot.qa import talk_words as tw
from bot.qa.intents import UNKNOWN
from bot.qa.languages import FOREIGN_WORDS
from bot.qa.match import COMMON_WORDS, Match, match_question
from bot.qa.pairs import find_pair
from bot.qa.symbols import coins_in
from bot.scheduling.schedule import parse_schedule
from bot.scheduling.timezones import parse_timezone
from bot.symbols import symbol_book

TalkKind = Literal["greeting", "thanks", "goodnight", "ack", "stop", "opinion", "alert",
                   "news", "portfolio", "far_future", "index", "subscribe", "advice", "timing",
                   "offtopic", "nearest", "fiat", "about", "timezone", "digest_when", "chat",
                   "languages"]
#: Kinds answered with one friendly line (in groups only when the bot is addressed).
SMALL_TALK_KINDS: frozenset[str] = frozenset({"greeting", "thanks", "goodnight", "ack", "chat"})
#: Kinds answered with one honest "I can't …" line and the nearest thing the bot offers.
CANNOT_KINDS: frozenset[str] = frozenset({"alert", "news", "portfolio", "far_future", "timing",
                                          "index", "subscribe", "advice", "offtopic", "about",
                                          "languages"})
#: Kinds that speak for the whole message, never split into questions.
WHOLE_MESSAGE_KINDS: frozenset[str] = frozenset({"subscribe", "stop", "about", "timezone"})
#: At most this many questions of one message are answered.
MAX_PARTS = 4
#: A part of a compound message longer than this tells a story rather than asks.
MAX_QUESTION_WORDS = 22
#: Questions beyond those named as skipped (the rest are not read).
MAX_SKIPPED = 5


@dataclass(frozen=True, slots=True)
class Talk:
    """What a conversational message is: its kind and, for subscriptions, the schedule."""

    kind: TalkKind
    schedule: str | None = None
    unit: str | None = None
    zone: str | None = None
    alert: AlertRequest | None = None


_EMOJI = {"👍": " ok ", "👌": " ok ", "🙏": " thanks ", "🙌": " thanks ", "❤": " thanks ",
          "😂": " lol ", "🤣": " lol ", "😆": " lol ", "😴": " gn ", "💤": " gn ",
          "👋": " hi ", "🔥": " nice ", "💯": " nice "}
# Each small-talk word or phrase and the kind of its reply (strongest kind wins).
_SMALL_TALK: dict[str, TalkKind] = {
    **dict.fromkeys(("gn", "gnn", "good night", "goodnight", "nite", "night", "nighty",
                     "sleep well", "bye", "cya", "see ya", "later", "laters", "buenas noches",
                     "boa noite", "спокойной ночи", "iyi geceler", "gute nacht", "adiós",
                     "adios", "tchau", "пока", "tschüss", "hasta luego"), "goodnight"),
    **dict.fromkeys(("thanks", "thank you", "thank u", "thanx", "thx", "ty", "tysm", "tyvm",
                     "appreciate it", "appreciated", "appreciate", "cheers", "ta",
                     "much appreciated", "merci", "gracias", "danke", "teşekkürler",
                     "teşekkür ederim", "teşekkür", "tesekkurler", "sağol", "sağ ol", "sagol",
                     "eyvallah", "спасибо", "спс", "благодарю", "obrigado", "obrigada",
                     "vielen dank", "muchas gracias", "thank you very much", "ur best",
                     "you are best", "you re best", "best bot", "legend", "you rock",
                     "love you", "ur great", "you are great", "great job"), "thanks"),
    **dict.fromkeys(("alive", "you alive", "are you alive", "you there", "are you there",
                     "you up", "anyone here", "ping"), "greeting"),
    **dict.fromkeys(("gm", "gmgm", "gmm", "hi", "hii", "hey", "heya", "hello", "helo",
                     "hallo", "yo", "hiya", "howdy", "hola", "good morning", "morning",
                     "good evening", "good afternoon", "sup", "wassup", "whats up", "gud morning",
                     "greetings", "ello", "selam", "merhaba", "selamlar", "günaydın",
                     "привет", "здравствуйте", "здорово", "доброе утро", "добрый день",
                     "buenos días", "buenos dias", "buenas", "olá", "ola", "bom dia",
                     "boa tarde", "guten morgen", "guten tag", "servus", "moin",
                     "how are you", "how are you doing", "how are you today", "how r you",
                     "how is it going",
                     "how are things", "how you doing", "nasılsın", "как дела",
                     "qué tal", "que tal", "wie geht es", "wie gehts", "tudo bem"), "greeting"),
    **dict.fromkeys(("ok", "okay", "k", "kk", "okey", "cool", "nice", "nice one", "great",
                     "got it", "gotcha", "lol", "lmao", "lmfao", "haha", "hahaha", "rofl",
                     "kek", "based", "wagmi", "ngmi", "fair", "fair enough", "sure", "alright",
                     "perfect", "awesome", "good bot", "love it", "wow", "oh", "ah", "np",
                     "no worries", "all good", "good", "noted", "makes sense", "ic",
                     "i see", "yes", "yep", "yeah", "nope", "no", "hmm", "hm", "hmmm"), "ack"),
}
_SMALL_TALK_ORDER: tuple[TalkKind, ...] = ("goodnight", "thanks", "greeting", "ack")
# Words said around small talk that change nothing ("gm ser", "thanks bot").
_FILLER = frozenset({"bot", "ser", "sir", "fren", "frens", "friend", "friends", "fam", "bro",
                     "mate", "man", "guys", "all", "everyone", "there", "so", "much", "very",
                     "again", "a", "lot", "mr", "buddy", "anon", "gang", "and", "for", "that",
                     "the", "nfa", "dyor", "imo", "today", "abi", "hocam", "kanka", "бро",
                     "братан", "amigo", "hermano", "irmão", "dir", "ederim", "бот", "bota",
                     "todos", "todas", "gente", "pessoal", "galera", "chicos", "leute",
                     "всем", "herkese", "people", "y'all", "yall", "everybody"})


def _words(text: str) -> list[str]:
    """Lower-case words of ``text`` with reaction emojis read as words."""
    clean = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    for emoji, word in _EMOJI.items():
        clean = clean.replace(emoji, word)
    clean = re.sub(r"@\w+", " ", clean)
    clean = re.sub(r"\bwhat'?s\b", "whats", clean)
    return re.findall(r"[^\W_]+", clean)


def _small_talk(text: str) -> TalkKind | None:
    words = [w for w in _words(text) if w not in _FILLER]
    if "from" in words and words.index("from") > 0 and len(words) - words.index("from") <= 4:
        words = words[:words.index("from")]  # "good morning from são paulo ☀️"
    if not words:
        # only emoji or punctuation: a reaction ("🚀", "👀"), unless it asks something
        return None if "?" in text or not text.strip() else "ack"
    found: set[TalkKind] = set()
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            phrase = " ".join(words[i:i + size])
            if len(words[i:i + size]) == size and phrase in _SMALL_TALK:
                found.add(_SMALL_TALK[phrase])
                i += size
                break
        else:
            return None  # a word small talk does not explain: a real message
    return next(kind for kind in _SMALL_TALK_ORDER if kind in found)


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def _clock(match: re.Match[str] | None, default: int) -> str:
    """"HH:MM" of a matched time (hour, minutes, am/pm groups); ``default`` o'clock if none."""
    if match is None:
        return f"{default:02d}:00"
    hour = int(match.group(1)) % 24
    if match.group(3) == "pm" and hour < 12:
        hour += 12
    return f"{hour:02d}:{int(match.group(2) or 0) % 60:02d}"


def subscription_schedule(text: str) -> str:
    """The ``/subscribe`` schedule a natural request asks for ("every morning at 8")."""
    low = text.lower()
    interval = re.search(r"\bevery\s+(\d+)\s*h", low)
    if _has(r"\btwice a day\b|\bmorning and evening\b", low):
        return "twice a day"  # 08:00 and 20:00
    weekly = re.search(r"\b(?:every|each|on)\s+((?:" + tw.WEEKDAY + r"(?:\s*(?:,|and|&)\s*)?)+)"
                       r"(?:\s+(?:at\s+)?(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)(?!\w))?", low)
    if weekly is not None:
        phrase = " ".join(("every", weekly.group(1).strip(" ,&"), "at",
                           weekly.group(2) or ("18" if _has(r"\bevening\b", low) else "8")))
        try:
            parse_schedule(phrase)
            return phrase
        except BadArgumentError:
            pass
    if interval is not None:
        schedule = f"every {interval.group(1)}h"
    else:
        when = (re.search(r"\b(?:at|like|around|by)\s+(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\b",
                          low)
                or re.search(r"\b(\d{1,2})[:.](\d{2})\s*(am|pm)?\b", low)
                or re.search(r"\b(\d{1,2})()\s*(am|pm)\b", low))
        default = 18 if _has(r"\bevening\b|\bnight\b", low) else 8
        keyword = "weekdays" if _has(r"\bweekdays?\b|\bmarket open\b", low) else "daily"
        schedule = f"{keyword} {_clock(when, default)}"
    try:
        return parse_schedule(schedule).text
    except BadArgumentError:
        return "daily 08:00"


# Currencies other than the dollar: a conversion into one gets the dollar price, saying so.
_FIATS = {"try": "TRY", "tl": "TRY", "lira": "TRY", "liras": "TRY", "лир": "TRY",
          "eur": "EUR", "euro": "EUR", "euros": "EUR", "€": "EUR", "евро": "EUR",
          "rub": "RUB", "рубл": "RUB", "руб": "RUB", "рублях": "RUB", "рублей": "RUB",
          "рубля": "RUB", "gbp": "GBP", "pounds": "GBP", "£": "GBP", "brl": "BRL",
          "reais": "BRL", "real": "BRL",
          "ars": "ARS", "mxn": "MXN", "pesos": "MXN", "uah": "UAH", "грн": "UAH",
          "inr": "INR", "rupees": "INR", "jpy": "JPY", "yen": "JPY", "cad": "CAD", "aud": "AUD"}
_FIAT = re.compile(r"(?:\d\s*|\b(?:in|to|into|в|en|em|para|auf)\s+)(" + "|".join(
    sorted(map(re.escape, _FIATS), key=len, reverse=True)) + r")(?!\w)")


def fiat_asked(text: str) -> str | None:
    """The non-dollar currency a conversion names ("5000 try to btc", "eth in euros")."""
    found = _FIAT.search(unicodedata.normalize("NFKC", text).lower())
    return _FIATS[found.group(1)] if found is not None else None


def in_dollars(text: str) -> str:
    """``text`` with its non-dollar currency read as dollars ("2 sol in euro" → "… in usd")."""
    low = unicodedata.normalize("NFKC", text).lower()
    return _FIAT.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)] + " usd", low)


#: Nationalities said of a time ("8 in german time") and the city whose zone they mean.
_NATIONS = {"german": "berlin", "germany": "berlin", "turkish": "istanbul", "turkey": "istanbul",
            "russian": "moscow", "spanish": "madrid", "spain": "madrid", "french": "paris",
            "british": "london", "uk": "london", "brazil(?:ian)?": "sao paulo",
            "argentin(?:a|ian|e)": "buenos aires", "mexic(?:o|an)": "mexico city",
            "italian": "rome", "dutch": "amsterdam", "polish": "warsaw", "ukrainian": "kyiv",
            "japanese": "tokyo", "indian": "kolkata", "portuguese": "lisbon"}


def zone_named(text: str) -> str | None:
    """The time zone a message names: a city's IANA zone ("new york time", "in istanbul" →
    "America/New_York", "Europe/Istanbul") or an offset as written ("utc+3")."""
    low = unicodedata.normalize("NFKC", text).lower()
    for people, city in _NATIONS.items():  # "in german time" → "in berlin time"
        low = re.sub(r"\b" + people + r"(?= time\b)", city, low)
    candidates: list[str] = []
    for m in re.finditer(r"\b(?:is|in|from|to|tz|zone|based in|live in)\s+", low):
        after = re.findall(r"[\w+:-]+", low[m.end():])
        candidates += [" ".join(after[:size]) for size in (3, 2, 1) if len(after) >= size]
    for m in re.finditer(r"\s+time\b", low):
        before = re.findall(r"[\w+:-]+", low[:m.start()])
        candidates += [" ".join(before[-size:]) for size in (2, 1) if len(before) >= size]
    for phrase in candidates:
        if phrase in ("the", "my", "a", "utc time"):
            continue
        try:
            key = parse_timezone(phrase).key
        except BadArgumentError:
            continue
        return phrase if key.startswith("Etc/") else key  # "utc+3" as written, a city's zone
    return None


def classify(text: str) -> Talk | None:
    """The conversational kind of ``text``, or ``None`` for a market question."""
    fiat = fiat_asked(text)
    if fiat is not None:
        return Talk("fiat", unit=fiat)
    small = _small_talk(text)
    if small is not None:
        return Talk(small)
    low = " ".join(_words(tw.schedule_words(text)))
    if _has(tw.STOP, low):
        return Talk("stop")
    if _has(tw.ABOUT, low):
        return Talk("about")
    if _has(tw.LANGUAGES, low):
        return Talk("languages")
    if _has(tw.COMPLIMENT, low):
        return Talk("thanks")
    if _has(tw.DIGEST_WHEN, low):
        return Talk("digest_when")
    if _has(tw.ZONE, low) and not _has(tw.SUBSCRIBE, low):
        return Talk("timezone", zone=zone_named(text))
    if _has(tw.INDEX, low):
        return Talk("index")
    if _has(tw.PORTFOLIO, low):
        return Talk("portfolio")
    if _has(tw.SUBSCRIBE, low) and not _has(r"\bif\b|\bwhen\b", low):
        return Talk("subscribe", subscription_schedule(tw.schedule_words(text)),
                    zone=zone_named(text))
    if _has(tw.ALERT, low):
        return Talk("alert", alert=parse_phrase(_LEADING.sub("", text)))
    for kind, pattern in ( ("news", tw.NEWS), ("portfolio", tw.PORTFOLIO),
                          ("far_future", tw.FAR_FUTURE), ("timing", tw.TIMING),
                          ("advice", tw.ADVICE)):
        if _has(pattern, low):
            return Talk(kind)  # type: ignore[arg-type]
    if _has(tw.OPINION, low):
        return Talk("opinion")
    return None


def fallback(text: str, match: Match) -> Talk | None:
    """For a message the matcher cannot place: ``offtopic`` (a subject the bot does not
    track: one honest line), ``nearest`` (a coin or market word: the coin's price, saying
    so), or ``None`` for text with nothing recognisable (the short "not sure" list)."""
    words = set(_words(text)) | set(" ".join(_words(text)).split())
    low = " ".join(_words(text))
    off = cues.OUT_OF_SCOPE + cues.VENUE_NAMES
    if any(_has(r"\b" + re.escape(p) + r"\b", low) for p in off):
        return Talk("offtopic")
    if match.symbol is not None or words & cues.MARKET_WORDS:
        return Talk("nearest")
    said = _words(text)
    if 0 < len(said) <= MAX_CHAT_WORDS and set(said) & (COMMON_WORDS | tw.CHAT_WORDS):
        return Talk("chat")  # "what time is it", "i'm bored lol": a word back, no list
    return None


#: Chat the bot has no answer for gets one friendly line up to this many words.
MAX_CHAT_WORDS = 10


#: Words besides the coins a price list may have ("please give me the latest figures for").
MAX_LIST_WORDS = 9
#: Intents a list of coins can ask for together ("btc, eth and xrp prices", "sol avax sui?").
_PRICE_LIKE = frozenset({"price", "change", UNKNOWN})


def asks_each(text: str) -> bool:
    """True for a question about every coin named before it ("and the price of both?")."""
    return _has(tw.EACH, " ".join(_words(text)))


def several_prices(text: str, parts: list[str], settings: Settings) -> list[str]:
    """The coins of a message asking only for several coins' prices, else ``[]``."""
    coins = coins_in(text, symbol_book(settings))
    if len(coins) < 2 or find_pair(text, symbol_book(settings)) is not None:
        return []
    if len(_words(text)) > len(coins) + MAX_LIST_WORDS:  # a long message asks more than prices
        return []
    for part in parts or [text]:
        match = match_question(part, settings)
        if classify(part) is not None or not (match.intent in _PRICE_LIKE
                                              or match.is_followup_same_intent):
            return []
    return coins


_OI_GREETING = re.compile(r"^\s*(?:" + FOREIGN_WORDS[0][0] + r")\s*[,!.]*", re.IGNORECASE)
_LEADING = re.compile(r"^\s*(?:and|also|plus|&|then|oh and|ok and|,)\s+", re.IGNORECASE)


def question_parts(text: str) -> list[str]:
    """``text`` cut at ? and !, line breaks, ";", "also" and "plus" (empty parts dropped)."""
    text = _OI_GREETING.sub("", text)
    chunks = re.split(r"[?!]+|\n+|;|\balso\b|\bplus\b|(?:^|\s|:)\(?\d[).]\s|(?<=\w{2})\.\s+", text)
    parts = [_LEADING.sub("", c).strip(" ,.!-") for c in chunks]
    return [p for p in parts if p]


def and_split(part: str) -> list[str]:
    """``part`` cut at "and" / "&" (the caller keeps the cut only when both sides ask)."""
    cuts = r"\s+(?:and|&|n|ve|и|y|e|und)\s+|\s+\+\s*|\s*,\s*"
    pieces = [p.strip(" ,.!") for p in re.split(cuts, part)]
    return [p for p in pieces if p]


def _asked(part: str, settings: Settings) -> tuple[str, str | None] | None:
    """What ``part`` asks, as (intent or kind, coin named); ``None`` for small talk or noise."""
    if _has(tw.STATEMENT, " ".join(_words(part))):
        return None  # "i hold btc and a bit of eth since 2022": said, not asked
    talk = classify(part)
    match = match_question(part, settings)
    if talk is not None:
        return None if talk.kind in SMALL_TALK_KINDS else (talk.kind, match.symbol)
    if match.is_followup_same_intent:
        return "followup", match.symbol
    return None if match.intent == UNKNOWN else (match.intent, match.symbol)


def _without_preamble(chunk: str, settings: Settings) -> str:
    """``chunk`` without the clauses before its question ("sorry, been away: btc price")."""
    clauses = re.split(r"[,:]\s*", chunk)
    start = 0
    while start < len(clauses) - 1 and _asked(clauses[start], settings) is None:
        start += 1
    return _LEADING.sub("", ", ".join(clauses[start:])) if start else chunk


def split_questions(text: str, settings: Settings) -> list[str]:
    """The different questions ``text`` asks, in order ("btc price and funding? also
    whales?" → 3); a question repeated (same intent, same or no new coin) counts once.

    A message asking one thing (or nothing) gives one part or none; small talk around the
    questions ("gm! …") is left out. At most ``MAX_PARTS + MAX_SKIPPED`` are returned.
    """
    parts: list[str] = []
    seen: set[tuple[str, str | None]] = set()
    coin: str | None = None
    for chunk in question_parts(text):
        chunk = _without_preamble(chunk, settings)
        pieces = and_split(chunk)
        asked = [_asked(p, settings) for p in pieces] if len(pieces) > 1 else []
        if not (asked and all(asked)):
            pieces, asked = [chunk], [_asked(chunk, settings)]
        for piece, key in zip(pieces, asked, strict=True):
            if key is None or len(piece.split()) > MAX_QUESTION_WORDS:
                continue  # a long sentence telling a story, not asking
            coin = key[1] or coin
            if (key[0], coin) not in seen:
                seen.add((key[0], coin))
                parts.append(piece)
            if len(parts) >= MAX_PARTS + MAX_SKIPPED:
                return parts
    return parts
