"""Alerts asked for in plain words: "ping me if btc drops below 70k", "set alert btc 100k".

:func:`parse_phrase` returns the same :class:`AlertRequest` as ``/alert`` would, or ``None``
when the text is not an alert request (it then goes on to the question answerer). The
transport asks for a confirmation tap before creating it; :func:`request_data` and
:func:`parse_request_data` carry the request in the button's callback data (≤ 64 bytes).
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.alerts.rules import AlertRequest, Asked, parse_alert
from bot.errors import BadArgumentError

_COIN = r"\$?(?P<coin>[a-z][a-z0-9]{1,11})"
#: greetings and politeness before the request ("yo can u notify me …")
_LEAD = (r"^(?:(?:yo|hey|hi|ok|okay|so|bro|pls|please|plz|can|could|would|will|you|u|ya|"
         r"just|kindly|bot|mate|abeg|bhai|yaar|boss|oga|sir)[\s,]+)*")
#: an optional expiry ("for 24h", "within 3 days") and politeness after it
_TAIL = (r"(?:\s+(?:for|within|in|during)(?:\s+the\s+next)?\s+(?P<exp>[0-9]+\s*(?:m|min|mins|"
         r"minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)))?"
         r"(?:[\s,]+(?:pls|please|plz|thanks|thx|ty|bro|mate|fam|ok|today|tomorrow))*\s*$")
_WHEN = re.compile(
    _LEAD + r"(?:ping|alert|notify|tell|warn|message|dm|remind|text)\s+(?:me|us|u)\s+"
    r"(?:if|when|whenever|once|as soon as)\s+"
    + _COIN + r"(?:\s+price)?\s+(?:(?:goes|gets|moves|is|trades|falls|drops|dips|rises|breaks|"
    r"go|get|fall|drop|dip|rise|break|cross|hit|reach|climb|pump|dump|"
    r"crosses|climbs|pumps|dumps|changes|change|moves|move|swings|jumps)\s+)?(?:by\s+)?(?P<dir>below|under|above|over|to|past|through|hits|"
    r"reaches|touches)?\s*(?P<level>\$?[0-9][0-9.,]*[km%]?)(?:\s*(?:dollars?|usd|usdt|bucks))?"
    + _TAIL)
_SET = re.compile(_LEAD + r"(?:set|create|add|make)\s+"
                  r"(?:me\s+)?(?:an?\s+)?(?:price\s+)?alert\s+(?:for\s+|on\s+)?"
                  + _COIN + r"\s+(?:at\s+)?(?P<rest>.+?)\s*$")
#: Alert words of other languages and everyday English, read as the English above
#: ("avísame si btc baja de 90k", "сообщи когда эфир будет 4000", "let me know if …").
_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bsend (?:me|us) (?:a |an )?(?:message|msg|notification|dm|text|ping)\b", "tell me"),
    (r"\blet (?:me|us) know\b|\bgive me a (?:ping|shout|heads up)\b|\bhit me up\b", "tell me"),
    (r"(?:^|\s)(?:сообщи(?:те)?|напиши(?:те)?|предупреди(?:те)?|скажи(?:те)?|уведоми(?:те)?)"
     r"(?:\s+мне)?\s+(?:когда|если)(?=\s)", " tell me when"),
    (r"\b(?:av[ií]same|av[ií]senme|notif[ií]came|d[ií]me|me avisas?|me avise|me notifique|"
     r"me fala|me diga)\s+(?:si|cuando|quando|se)\b", "tell me when"),
    (r"\b(?:sag|sagt|schreib|benachrichtige|informiere)\s+(?:mir|mich)\s+"
     r"(?:bescheid\s+)?(?:wenn|falls|sobald)\b", "tell me when"),
    (r"(?:^|\s)(?:эфир\w*|эфириум\w*)(?=\s|$)", " eth"),
    (r"(?:^|\s)(?:бит(?:ок|ка|коин\w*|койн\w*))(?=\s|$)", " btc"),
    (r"(?:^|\s)(?:солан\w*)(?=\s|$)", " sol"),
    (r"\b(?:bitcoin|bitcoins)\b", "btc"), (r"\b(?:ethereum|ether)\b", "eth"),
    (r"\bsolana\b", "sol"),
    (r"\b(?:baja|cae|caiga|baje|caia|cair|fällt|sinkt)\s+(?:de|por debajo de|abaixo de|"
     r"unter|a|para)\b|\b(?:por debajo de|abaixo de)\b|(?:^|\s)(?:упад\w*|опустит\w*|"
     r"будет)?\s*ниже(?=\s)", " falls below"),
    (r"\b(?:sube|suba|supere|sobe|suba|passe|steigt|über)\s+(?:de|a|por encima de|acima de|"
     r"über|para)?\s*(?=\$?[0-9])|\b(?:por encima de|acima de)\b|"
     r"(?:^|\s)(?:поднимет\w*|вырастет|будет)?\s*выше(?=\s)", " rises above "),
    (r"\b(?:passar|passe|ultrapassar|ultrapasse)\s+(?:de|os|a)?\s*", "rises above "),
    (r"\bunter\b", "below"), (r"\büber\b", "above"),
    (r"\s+(?:fällt|steigt|ist|geht|liegt|kommt|erreicht)$", ""),
    (r"\b(tell me when|tell me if) (?:o|a|el|la|der|die|das) ", r"\1 "),
    (r"(?:^|\s)(?:будет|дойдет|дойдёт|достигнет)(?:\s+до)?(?=\s)|\b(?:llegue a|llega a|chegar a|"
     r"chegue a|erreicht)\b", " hits"),
)
_UP = frozenset({"above", "over"})
_DOWN = frozenset({"below", "under"})
_CODES: dict[Asked, str] = {"above": "a", "below": "b", "near": "n", "move": "m"}
_KINDS: dict[str, Asked] = {v: k for k, v in _CODES.items()}
_DATA = re.compile(r"^a[lp]:(?P<coin>[a-z0-9]{1,12}):(?P<kind>[abnm]):(?P<value>[0-9.e+-]{1,20})"
                   r"(?::(?P<minutes>[0-9]{1,6}))?$")
#: Callback data prefixes: a confirmation (the message is edited) and a post's level button
#: (the post stays; the answer is a new message).
PREFIX = "al:"
POST_PREFIX = "ap:"


def parse_phrase(text: str) -> AlertRequest | None:
    """The alert ``text`` asks for, or ``None`` when it asks for none (or is unreadable)."""
    clean = re.sub(r"[!?.]+$", "", " ".join(text.lower().split()))
    clean = re.sub(r"(?:[\s,]+(?:pls|please|plz|thanks|thx|ty|bro|mate|fam))+$", "", clean)
    for pattern, english in _WORDS:
        clean = re.sub(pattern, english, clean).strip()
    clean = " ".join(clean.split())
    for pattern, compact in _EXPIRIES:
        clean = re.sub(pattern, compact, clean)
    match = _WHEN.match(clean)
    try:
        if match is not None:
            word = match.group("dir") or ""
            verb = clean[match.end("coin"):match.start("level")]
            level = match.group("level")
            side = (None if level.endswith("%")  # a move either way, whatever the verb
                    else "above" if word in _UP or re.search(r"\b(rises?|climbs?|pumps?)\b",
                                                             verb)
                    else "below" if word in _DOWN or re.search(r"\b(falls?|drops?|dips?|dumps?)\b",
                                                               verb)
                    else None)
            words = [match.group("coin"), *([side] if side else []), level,
                     *_expiry_words(match.group("exp"))]
            return parse_alert(words)
        match = _SET.match(clean)
        if match is not None:
            return parse_alert([match.group("coin"), *match.group("rest").split()])
    except BadArgumentError:
        return None
    return None


#: expiries in words, made compact first ("for the next 48 hours" → "for 48h"; "today only"
#: is read as the next 24 hours, which the confirmation states)
_EXPIRIES: tuple[tuple[str, str], ...] = (
    (r"\b(?:for|within|in|during)(?:\s+the)?(?:\s+next)?\s+([0-9]+)\s*(m|h|d|w)"
     r"(?:in|ins|inute|inutes|r|rs|our|ours|ay|ays|eek|eeks)?\b", r"for \1\2"),
    (r"\b(?:today only|only today|for today|just today)\b", "for 24h"),
)


def _expiry_words(text: str | None) -> list[str]:
    """``"24 hours"`` → ``["24h"]`` (what ``/alert`` takes); nothing when none was asked."""
    if not text:
        return []
    match = re.match(r"([0-9]+)\s*([a-z])", text)
    return [f"{match.group(1)}{match.group(2)}"] if match else []


def request_data(request: AlertRequest, prefix: str = PREFIX) -> str | None:
    """Callback data of a confirmation button (``None`` when it would not fit 64 bytes);
    an expiry is kept in whole minutes."""
    value = repr(request.value).removesuffix(".0")  # the shortest text that reads back exactly
    data = f"{prefix}{request.coin}:{_CODES[request.asked]}:{value}"
    if request.expires_in is not None:
        data += f":{int(request.expires_in.total_seconds() // 60)}"
    return data if _DATA.match(data) and len(data.encode()) <= 64 else None


def parse_request_data(data: str | None) -> AlertRequest | None:
    """The request a confirmation button carries (``None`` for anything else)."""
    match = _DATA.match(data or "")
    if match is None:
        return None
    try:
        value = float(match.group("value"))
    except ValueError:
        return None
    minutes = match.group("minutes")
    expires_in = timedelta(minutes=int(minutes)) if minutes else None
    return AlertRequest(match.group("coin"), _KINDS[match.group("kind")], value, expires_in)
