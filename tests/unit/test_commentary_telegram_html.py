"""Telegram limits: UTF-16 counting, HTML-subset checks, splitting at section boundaries."""

from __future__ import annotations

from bot.commentary.telegram_html import (
    SECTION_BREAK,
    html_problems,
    split_message,
    utf16_len,
    visible_len,
)
from tests.unit.html_validator import html_errors, text_errors


def test_utf16_length_counts_emoji_as_two_units() -> None:
    assert utf16_len("BTC") == 3
    assert utf16_len("📉") == 2
    assert utf16_len("−") == 1


def test_visible_length_ignores_tags_and_counts_entities_once() -> None:
    assert visible_len("<b>A &amp; B</b>", "html") == 5
    assert visible_len("<b>A &amp; B</b>", "text") == 16


def test_html_problems_reports_unsupported_and_misnested_tags() -> None:
    assert html_problems("<b>ok</b> <i>fine</i>") == []
    assert html_problems("<div>x</div>")
    assert html_problems("<b><i>x</b></i>")
    assert html_problems("<b>open")
    assert html_problems("fish & chips")


def _sections(count: int, size: int) -> str:
    body = []
    for n in range(count):
        words = " ".join(["word"] * (size // 5))
        body.append(f"<b>Heading {n}</b>\n<i>{words}</i>\n\nTail {n}.")
    return SECTION_BREAK.join(body)


def test_long_output_splits_at_section_boundaries_within_the_limit() -> None:
    messages = split_message(_sections(6, 1500), "html")
    assert len(messages) > 1
    for message in messages:
        assert html_errors(message) == []
        assert message.startswith("<b>Heading")
    assert sum(m.count("<b>Heading") for m in messages) == 6


def test_a_section_longer_than_a_message_splits_between_paragraphs() -> None:
    paragraphs = "\n\n".join(f"<b>P{n}</b> " + "x" * 900 for n in range(8))
    messages = split_message(paragraphs, "html")
    assert len(messages) >= 2
    for message in messages:
        assert html_errors(message) == []


def test_an_unsplittable_line_is_cut_as_escaped_plain_text() -> None:
    line = "<b>" + "a&b " * 2000 + "</b>"
    messages = split_message(line, "html")
    for message in messages:
        assert html_errors(message) == []


def test_caption_limit_is_respected() -> None:
    messages = split_message(_sections(3, 600), "text", limit=1024)
    for message in messages:
        assert text_errors(message, limit=1024) == []


def test_short_text_stays_one_message_without_markers() -> None:
    assert split_message("one" + SECTION_BREAK + "two", "text") == ("one\n\ntwo",)


def test_a_short_tail_borrows_a_section_instead_of_standing_alone() -> None:
    big = "<b>A</b>\n" + "a" * 3100
    mid = "<b>B</b>\n" + "b" * 950
    tail = "<i>" + "n" * 100 + "</i>"
    messages = split_message(SECTION_BREAK.join([big, mid, tail]), "html")
    assert len(messages) == 2
    assert messages[1].startswith("<b>B</b>") and messages[1].endswith("n</i>")


def test_fit_caption_keeps_whole_lines_within_the_caption_limit() -> None:
    from bot.commentary.telegram_html import fit_caption

    caption = fit_caption("\n".join(f"<b>line {n}</b> " + "x" * 90 for n in range(30)), "html")
    assert html_errors(caption, limit=1024) == []
    assert caption.startswith("<b>line 0</b>") and caption.endswith("x")
