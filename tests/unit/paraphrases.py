"""The blind paraphrase set (tests/data/paraphrases_blind.toml), parsed and scored."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.qa.match import Match

PARAPHRASES_PATH = Path(__file__).resolve().parent.parent / "data" / "paraphrases_blind.toml"
BATCHES = ("batch1", "batch2", "batch3")


@dataclass(frozen=True, slots=True)
class Paraphrase:
    """One question as written blind, with what it asks."""

    batch: str
    text: str
    intent: str
    fields: dict[str, Any]


def load_paraphrases(path: Path = PARAPHRASES_PATH) -> list[Paraphrase]:
    """Every paraphrase of every batch, in file order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Paraphrase(batch, row["text"], row["intent"],
                   {k: v for k, v in row.items() if k not in ("text", "intent")})
        for batch in BATCHES for row in data.get(batch, [])
    ]


def is_right(p: Paraphrase, m: Match) -> bool:
    """Whether ``m`` asks what ``p`` asks (intent, coin, topic, timeframe, pair, amount)."""
    f = p.fields
    timeframe = getattr(m, "timeframe", None)
    pair = getattr(m, "pair", None)
    if p.intent == "followup":
        return m.is_followup_same_intent and m.symbol == f.get("symbol") and timeframe is None
    if p.intent == "timeframe":
        return m.is_followup_same_intent and timeframe == f["timeframe"]
    if p.intent == "cross":
        return (m.intent == "cross" and pair is not None
                and (pair.base, pair.quote) == (f["base"], f["quote"]))
    if p.intent == "convert":
        return (m.intent == "convert" and pair is not None
                and (pair.base, pair.quote, pair.amount) == (f["from"], f["to"], f["amount"]))
    return (m.intent, m.topic, m.symbol, m.is_followup_same_intent) == (
        p.intent, f.get("topic"), f.get("symbol"), False
    )
