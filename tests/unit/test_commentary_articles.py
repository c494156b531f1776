"""Digests read right: every number checks out, HTML is valid, sources are labelled."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest

from bot.commentary import render_article, render_levels, render_quick, render_whales
from bot.commentary.formatting import utc_datetime
from bot.commentary.views import build_view
from tests.unit.commentary_cases import (
    DEMO_CASES,
    REFERENCE_MOMENT,
    demo_analysis,
    replay_analysis,
    replay_moments,
)
from tests.unit.fact_check import unverified_numbers
from tests.unit.html_validator import html_errors, text_errors

FORBIDDEN = re.compile(r"\b(None|nan|NaN|n/a|inf)\b")


def visible(markup: str) -> str:
    """What Telegram shows for an HTML message."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def _check_messages(messages: tuple[str, ...], flavour: str) -> str:
    assert messages, "nothing rendered"
    for message in messages:
        errors = html_errors(message) if flavour == "html" else text_errors(message)
        assert errors == [], errors
    text = "\n".join(visible(m) if flavour == "html" else m for m in messages)
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)
    for message in messages:
        assert empty_headings(message, flavour) == []
    return text


def empty_headings(message: str, flavour: str) -> list[str]:
    """Heading lines with nothing under them."""
    lines = message.split("\n")
    found = []
    for i, line in enumerate(lines):
        heading = line.startswith("## ") if flavour == "text" else bool(
            re.fullmatch(r"<b>[^<]*</b>", line))
        if heading and (i + 1 == len(lines) or not lines[i + 1].strip()):
            found.append(line)
    return found


@pytest.mark.parametrize("flavour", ["html", "text"])
@pytest.mark.parametrize("symbol", ["BTC", "ETH"])
def test_replay_digests_quote_only_view_model_numbers(
    shared_data: object, symbol: str, flavour: str
) -> None:
    for at in replay_moments():
        analysis = replay_analysis(symbol, at)
        post = render_article(analysis, chat_id=42, flavour=flavour)  # type: ignore[arg-type]
        text = _check_messages(post.messages, flavour)
        assert unverified_numbers(text, build_view(analysis)) == [], (at, text)
        assert "Replay of recorded data as of " + utc_datetime(analysis.as_of) in text


@pytest.mark.parametrize(("episode", "symbol"), DEMO_CASES)
def test_demo_digests_are_marked_and_fact_checked(episode: str, symbol: str) -> None:
    analysis = demo_analysis(episode, symbol)
    for flavour in ("html", "text"):
        post = render_article(analysis, chat_id=5, flavour=flavour)
        text = _check_messages(post.messages, flavour)
        assert unverified_numbers(text, build_view(analysis)) == []
        assert "DEMO DATA" in post.messages[0]
        assert "Demo data: a simulated market" in text


def test_reference_moment_reads_like_the_desk_wrote_it(shared_data: object) -> None:
    analysis = replay_analysis("BTC", REFERENCE_MOMENT)
    post = render_article(analysis, chat_id=1, flavour="text")
    text = post.text
    assert "$76,017" in text
    assert "$72,946" in text and "$76,972" in text
    assert "down 2.64%" in text
    assert "ADX reads 34" in text
    assert "sellers in control" in text
    assert "strongly bearish" in text or "bearish" in text
    assert "## Final thoughts" in text and "## Related questions" in text
    assert 3 <= len(post.related) <= 5
    for q in post.related:
        assert q.question.endswith("?") and q.answer.strip()
        assert q.answer in text


def test_related_answers_in_html_are_markup_not_escaped_tags(shared_data: object) -> None:
    post = render_article(replay_analysis("BTC", REFERENCE_MOMENT), chat_id=1, flavour="html")
    joined = "".join(post.messages)
    assert "&lt;b&gt;" not in joined
    assert "<b>Related questions</b>" in joined


@pytest.mark.parametrize(("episode", "symbol"), DEMO_CASES[:6])
def test_quick_whales_and_levels_views_are_valid_and_fact_checked(
    episode: str, symbol: str
) -> None:
    analysis = demo_analysis(episode, symbol)
    view = build_view(analysis)
    quick = render_quick(analysis, "html")
    lines = [line for line in visible(quick).splitlines() if line.strip()]
    assert 6 <= len(lines) <= 10, lines
    assert html_errors(quick) == []
    assert "DEMO DATA" in quick
    for messages in (render_whales(analysis, "html"), render_levels(analysis, "html")):
        text = _check_messages(messages, "html")
        assert unverified_numbers(text, view) == []
    assert unverified_numbers(visible(quick), view) == []


def test_quick_update_at_the_reference_moment(shared_data: object) -> None:
    quick = render_quick(replay_analysis("BTC", REFERENCE_MOMENT), "text")
    first = quick.splitlines()[0]
    assert first == "BTC $76,017 · \u22122.64% 24h · \u221215.61% 7d"
    assert "as of 4 Feb 2026, 12:00 UTC" in quick


def test_as_of_time_is_the_snapshot_time(shared_data: object) -> None:
    at = datetime.fromisoformat("2026-03-13T22:00:00+00:00")
    post = render_article(replay_analysis("BTC", at), chat_id=1, flavour="text")
    assert "as of 13 Mar 2026, 22:00 UTC" in post.messages[0]


def test_fact_check_catches_a_misquoted_number(shared_data: object) -> None:
    view = build_view(replay_analysis("BTC", REFERENCE_MOMENT))
    assert unverified_numbers("Bitcoin trades at $76,017, down 2.64%.", view) == []
    assert unverified_numbers("Bitcoin trades at $76,018, down 2.65%.", view) == [
        "$76,018", "2.65%"]
