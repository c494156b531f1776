"""The jinja2 environments: strict, escaping HTML only, tidy whitespace, one wording source."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from bot.commentary import render_template
from bot.commentary.render import environment, render_string, tidy
from bot.commentary.telegram_html import SECTION_BREAK
from tests.unit.html_validator import html_errors

ERROR_KINDS = ("unknown_symbol", "missing_symbol", "bad_timeframe", "venue_down", "data",
               "flood", "flood_rate", "not_operator", "unknown_command", "stale_button",
               "button_failed", "hint", "internal")
#: What the handlers pass to ``telegram/error.j2`` (users' replies), all at once.
ERROR_DETAILS = {"symbol": "DOGE", "suggestion": "BTC", "command": "price",
                 "symbols": ["BTC", "ETH"], "example": "/price BTC"}


def test_undefined_variables_fail_loudly() -> None:
    with pytest.raises(UndefinedError):
        render_string("{{ missing_thing }}", "text")


def test_html_flavour_escapes_and_text_flavour_does_not() -> None:
    assert render_string("{{ s }}", "html", s="<b>&") == "&lt;b&gt;&amp;"
    assert render_string("{{ s }}", "text", s="<b>&") == "<b>&"


def test_markup_macros_give_tags_in_html_and_plain_words_in_text() -> None:
    source = '{% import "_macros/markup.j2" as m %}{{ m.b("Hi & bye") }}'
    assert render_string(source, "html") == "<b>Hi &amp; bye</b>"
    assert render_string(source, "text") == "Hi & bye"


def test_a_section_without_body_leaves_no_heading() -> None:
    source = ('{% import "_macros/markup.j2" as m %}{% call m.section("Whales") %}'
              '{% if false %}x{% endif %}{% endcall %}rest')
    assert render_string(source, "html").replace(SECTION_BREAK, "") == "rest"


def test_tidy_removes_gaps_left_by_dropped_sentences() -> None:
    assert tidy("A  b .\n\n\n\nC\n continued") == "A b.\n\nC continued"


def test_filters_are_bound_to_the_configured_locale() -> None:
    assert environment("text", "de_DE").filters["usd"](76017.25) == "$76.017"
    assert environment("text").filters["usd"](76017.25) == "$76,017"


def test_unknown_flavour_is_refused() -> None:
    with pytest.raises(ValueError):
        environment("markdown")  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_every_error_kind_renders_valid_polite_html(kind: str) -> None:
    message = render_template("telegram/error.j2", "html", kind=kind, **ERROR_DETAILS)
    assert html_errors(message) == []
    assert message.strip() and "None" not in message


def test_unknown_symbol_suggests_the_closest_one() -> None:
    text = render_template("telegram/error.j2", "text", kind="unknown_symbol", symbol="BTX",
                           suggestion="BTC", command="price")
    assert text == "I don't cover BTX — did you mean BTC? Try /price BTC."


def test_other_packages_render_their_templates_through_the_same_environment() -> None:
    text = render_template("chart/labels.j2", "text")
    assert text == ""


def test_set_locale_switches_number_formats_for_every_template() -> None:
    from bot.commentary.render import set_locale

    set_locale("de_DE")
    try:
        assert render_string("{{ 76017.25 | usd }}", "text") == "$76.017"
    finally:
        set_locale("en_US")
    assert render_string("{{ 76017.25 | usd }}", "text") == "$76,017"


def test_every_missing_reason_is_worded_by_the_coverage_macro() -> None:
    from bot.errors import MissingReason

    for code in MissingReason:
        words = render_string(
            '{% import "_macros/coverage.j2" as cov %}{{ cov.reason(code) }}', "text", code=code)
        assert words and words != code.value and code.value not in words, code
