"""Chat-text normalisation: emojis to words, contractions and slang expanded, tokens split.

Case is kept in tokens (symbol extraction needs "LINK" vs "link"); ``word_of`` turns a
token into the lower-case word the intent matcher compares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from bot.qa.languages import FOREIGN_WORDS

EMOJI_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "🐋": "whale", "🐳": "whale", "🚀": "moon", "🌙": "moon", "🌕": "moon",
        "🐻": "bear", "🐂": "bull", "🐃": "bull", "📈": "up", "📉": "down",
        "💸": "funding", "🔮": "outlook", "🆘": "help", "❓": "?", "🤔": "?",
    }
)

_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"^\s*/ask(?:@\w+)?", " "),
        (r"^\s*/start(?:@\w+)?", " help "),
        (r"@\w+", " "),
        (r"\bl\s*/\s*s\b", " ls "),
        (r"[+\-−]\s*di\b", " di "),
        (r"/(?!(?:usdt|usdc|usd|busd)\b)", " "),
        (r"\b(?:what|wat|wut|wht|wot)\s*'\s*s\b|\bwhats\b|\bwats\b|\bwuts\b", " whats "),
        (r"\b(?:wat|wut|wht|wot|wa)\b", " what "),
        (r"\bwhere\s*'\s*s\b|\bwheres\b", " where is "),
        (r"\bhow\s*'\s*s\b|\bhows\b", " how is "),
        (r"\bit\s*'\s*s\b|\bits\b", " it is "),
        (r"\bwhat\s*'\s*re\b", " what are "),
        (r"\b(\w+)\s*'\s*s\b", r" \1 "),
        (r"\b(\w+)n\s*'\s*t\b", r" \1 not "),
        (r"\brn\b", " now "),
        (r"\bu\b", " you "),
        (r"\bur\b", " your "),
        (r"\br\b", " are "),
        (r"\by\b", " why "),
        (r"\b(?:pls|plz|plox|pleas)\b", " please "),
        (r"\b(?:da|teh)\b", " the "),
        (r"\bgonna\b", " going to "),
        (r"\bwanna\b", " want to "),
        (r"\bcuz\b|\bcoz\b", " because "),
        (r"\btmrw\b|\btmr\b", " tomorrow "),
        (r"\bvs\.?\b|\bversus\b", " vs "),
        (r"\bppl\b|\bppls\b|\bfolks\b", " people "),
        (r"\${2,}|💰|💵|💲", " price "),
        (r"\b(pump|dump|tank|bleed|crash|mov|go|trad|buy|sell|hold|rally|dropp|fall|dipp"
         r"|moon|short|long|bounc|happen|dump|nuk|liquidat)in\b", r" \1ing "),
        (r"\b(ma|sma|ema|rsi)(\d+)\b", r" \1 \2 "),
        (r"\b(\d+)(ma|sma|ema)\b", r" \1 \2 "),
        (r"\b([a-z])\.([a-z])\.?(?=\W|$)", r" \1\2 "),
        (r"\b(?:precio|pre[cç]o|prix|preis|prezzo|prijs|fiyat|cena|цена|harga)\b", " price "),
        (r"\b(?:quant[oa]s?|cu[aá]nt[oa]s?|combien|wie ?viel|ile|сколько)\b", " how much "),
        (r"\b(?:vale|vaut|kostet|costa|cuesta|стоит)\b", " is "),
    )
)
_FOREIGN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), f" {english} ")
    for pattern, english in FOREIGN_WORDS
)
# A word with a letter outside ASCII that no rewrite knew ("yapıyor"): left out whole.
_FOREIGN_WORD_RE = re.compile(r"\w*[^\W\x00-\x7f]\w*")
_TOKEN_RE = re.compile(r"[$#]?[A-Za-z0-9]+(?:/(?:usdt|usdc|usd|busd))?(?::[A-Za-z]+)?|%",
                       re.IGNORECASE)
_NUMBER_RE = re.compile(r"^\d+(?:[.,]\d+)?[km]?$")
#: Only the start of a very long message is read (a question is short).
MAX_CHARS = 400


def tokens(text: str) -> list[str]:
    """``text`` (its first ``MAX_CHARS``) normalised and split into case-preserving tokens."""
    clean = unicodedata.normalize("NFKC", text[:MAX_CHARS]).replace("’", "'").replace("`", "'")
    for emoji, word in EMOJI_WORDS.items():
        clean = clean.replace(emoji, f" {word} ")
    clean = "".join(c for c in clean if unicodedata.category(c) != "Cf")  # RTL marks, ZWJ
    for pattern, replacement in (*_FOREIGN, *_REWRITES):
        clean = pattern.sub(replacement, clean)
    clean = _FOREIGN_WORD_RE.sub(" ", clean)
    return _TOKEN_RE.findall(clean)


def is_reaction(text: str) -> bool:
    """True for a bare reaction such as "🚀🚀🚀": no letter, digit or question mark."""
    return bool(text.strip()) and not any(ch.isalnum() or ch == "?" for ch in text)


def word_of(token: str) -> str:
    """The lower-case word for ``token``; numbers such as 100k become ``num``."""
    word = token.lower().lstrip("$#")
    return "num" if _NUMBER_RE.match(word) else word


# Words that only look inflected ("interesting" is not about interest).
NOT_INFLECTED: frozenset[str] = frozenset(
    {"interesting", "interested", "morning", "evening", "thing", "nothing", "something",
     "anything", "everything", "during", "bring", "spring", "string", "ring", "king", "sing",
     "wing", "this", "news", "less", "yes", "bias", "ls", "always", "perhaps", "plus"}
)


def stems(word: str) -> tuple[str, ...]:
    """``word`` and its crude stems (plural, -ing, -ed) for keyword comparison."""
    forms = [word]
    if word in NOT_INFLECTED:
        return (word,)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    if len(word) > 5 and word.endswith("ing"):
        forms.extend((word[:-3], word[:-3] + "e"))
        if word[-4] == word[-5]:
            forms.append(word[:-4])  # "running" → "run"
    if len(word) > 4 and word.endswith("ed"):
        forms.extend((word[:-2], word[:-1], word[:-3]))
    return tuple(forms)
