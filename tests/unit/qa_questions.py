"""The labelled follow-up question set in tests/data/qa_questions.txt, parsed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

QUESTIONS_PATH = Path(__file__).resolve().parent.parent / "data" / "qa_questions.txt"
# Phrasings written after the matcher was built, as a check that it generalises.
FRESH_QUESTIONS_PATH = QUESTIONS_PATH.with_name("qa_questions_fresh.txt")
# A blind batch written without reading the sets above, measured before any tuning.
BLIND2_QUESTIONS_PATH = QUESTIONS_PATH.with_name("qa_questions_blind2.txt")
QUESTION_SETS = (QUESTIONS_PATH, FRESH_QUESTIONS_PATH, BLIND2_QUESTIONS_PATH)
FOLLOWUP = "followup"


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """One question as a user typed it, with the intent, topic and symbol it asks about."""

    text: str
    intent: str
    topic: str | None
    symbol: str | None


def parse_line(line: str) -> LabelledQuestion:
    """``INTENT[:TOPIC] [SYMBOL] | question`` → LabelledQuestion."""
    label, text = (part.strip() for part in line.split("|", 1))
    fields = label.split()
    intent, _, topic = fields[0].partition(":")
    symbol = fields[1] if len(fields) > 1 else None
    return LabelledQuestion(text, intent, topic or None, symbol)


def load_questions(path: Path = QUESTIONS_PATH) -> list[LabelledQuestion]:
    """Every labelled question in ``path`` (comments and blank lines skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse_line(ln) for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
