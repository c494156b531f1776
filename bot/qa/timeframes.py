"""Timeframes named in a question: "weekly", "on the daily", "4h", "4 hour", "1 hr"."""

from __future__ import annotations

from collections.abc import Sequence

from bot.qa import cues
from bot.qa import intents as cat

_UNITS = {"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "hourly": "h",
          "d": "d", "day": "d", "days": "d", "w": "w", "week": "w", "weeks": "w"}
_NUMBERS = {"1": "1", "one": "1", "4": "4", "four": "4"}
_MINUTES = frozenset({"m", "min", "mins", "minute", "minutes", "minuto", "minutos", "minuten",
                      "минут", "dakika", "dk"})
#: Minute charts the question may name ("30 minutes"); none is computed (the hourly is shown).
_MINUTE_CHARTS = frozenset({"1", "3", "5", "15", "30", "45"})
#: Bare periods said of a chart ("bitcoin chart for the week", "the monthly candles").
_PERIODS = {"hour": "1h", "day": "1d", "week": "1w", "month": "1M", "semana": "1w",
            "woche": "1w", "неделю": "1w", "неделя": "1w", "hafta": "1w", "mes": "1M",
            "monat": "1M", "месяц": "1M"}
_CHART_NOUNS = frozenset({"chart", "charts", "candle", "candles", "grafico", "gráfico",
                          "chart's", "график", "grafik", "timeframe", "tf"})
_CHART_WORDS = frozenset({"on", "chart", "charts", "timeframe", "tf", "candle", "candles",
                          "in", "at", "look", "looks", "like", "view", "same", "there",
                          "say", "says", "show", "shows", "check", "zoom", "out", "to", "does",
                          "do", "looking", "switch", "higher", "picture", "me", "give",
                          "please", "for", "frame", "time", "perspective"})


def find_timeframe(words: Sequence[str]) -> tuple[str, frozenset[int]] | None:
    """The timeframe named in lower-case ``words`` and the positions that name it."""
    charted = any(w in _CHART_NOUNS for w in words)
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in _MINUTE_CHARTS and after in _MINUTES:
            return word + "m", frozenset({i, i + 1})
        if charted and word in _PERIODS:
            return _PERIODS[word], frozenset({i})
        if word in cat.TIMEFRAME_WORDS:
            return cat.TIMEFRAME_WORDS[word], frozenset({i})
        if word in _NUMBERS and i + 1 < len(words) and words[i + 1] in _UNITS:
            tf = _NUMBERS[word] + _UNITS[words[i + 1]]
            if tf in ("1h", "4h", "1d", "1w"):
                return tf, frozenset({i, i + 1})
    return None


def bare_timeframe(words: Sequence[str]) -> str | None:
    """The timeframe of a bare follow-up ("what about the weekly?", "4h?"), else ``None``."""
    found = find_timeframe(words)
    if found is None:
        return None
    tf, used = found
    rest = [w for i, w in enumerate(words) if i not in used]
    if all(w in cues.FOLLOWUP_FILLERS or w in _CHART_WORDS or w in cat.SKIPPED_WORDS
           for w in rest):
        return tf
    return None
