"""A post's forecast comes from history, with its sample, and says when there is no edge."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.analysis.model import HorizonOdds, Odds
from bot.commentary import render_answer, render_article, render_quick
from tests.unit.commentary_cases import demo_analysis

SINCE = datetime(2018, 1, 11, tzinfo=UTC)


def _odds(edge: str | None, samples: int = 964, lean: str | None = None,
          tested: int = 0) -> Odds:
    week = HorizonOdds(
        horizon=timedelta(days=7), samples=samples, ups=round(samples * 0.62), frequency=0.62,
        median_pct=1.8, low_pct=-8.0, high_pct=11.0, base_samples=3037, base_rate=0.53,
        probability=0.58 if edge else 0.53, edge=edge,  # type: ignore[arg-type]
        since=SINCE, lean=lean or edge, tested=tested,  # type: ignore[arg-type]
        tested_skill=0.02 if edge else -0.01,
    )
    return Odds(setup="uptrend", as_of_close=datetime(2026, 2, 4, tzinfo=UTC), horizons=(week,))


def _article_text(odds: Odds | None) -> str:
    analysis = dataclasses.replace(demo_analysis("breakout", "BTC"), odds=odds)
    return "\n".join(render_article(analysis, chat_id=1, flavour="text").messages)


def test_a_setup_with_an_edge_states_its_sample_its_frequency_and_the_odds() -> None:
    text = _article_text(_odds("up", tested=41))

    assert ("In 964 comparable setups since 11 Jan 2018 (price above its 50-day average after "
            "a rising week), Bitcoin was higher a week later 62% of the time "
            "(median +1.8%).") in text
    assert "we put the odds of a higher price in a week at 58%" in text
    assert "Four in five comparable weeks ended between −8% and +11%." in text


def test_no_edge_is_said_plainly_with_the_climatology() -> None:
    text = _article_text(_odds(None))

    assert "That is no edge: across all weeks of the record 53% ended higher" in text
    assert "the odds of a higher price in a week are about 53%" in text
    assert "high confidence" not in text


def test_a_lean_without_a_winning_record_is_named_but_not_sold_as_an_edge() -> None:
    text = _article_text(_odds(None, lean="up", tested=29))

    assert "The setup leans up against the 53% of all weeks" in text
    assert "its 29 earlier calls did no better than the base rate" in text
    assert "stay about 53%" in text


def test_a_thin_sample_is_not_sold_as_an_edge() -> None:
    text = _article_text(_odds(None, samples=60))

    assert "too few independent weeks to count as an edge" in text


def test_missing_history_is_said_and_no_call_is_made() -> None:
    text = _article_text(None)

    assert "not enough daily history for Bitcoin" in text
    assert "odds of a higher price" not in text


def test_the_quick_post_and_the_outlook_answer_carry_the_same_odds() -> None:
    analysis = dataclasses.replace(demo_analysis("breakout", "BTC"), odds=_odds(None))

    quick = render_quick(analysis, "text")
    answer = render_answer("outlook", analysis, "text")

    assert "Next 7d: 53% odds of higher, no edge (964 like setups)" in quick
    assert "confidence" not in quick
    assert "about 53%" in answer
