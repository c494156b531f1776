"""Missing data drops sentences, hostile strings stay inert text."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from bot.analysis import analyse
from bot.analysis.model import Analysis
from bot.commentary import (
    render_answer,
    render_article,
    render_levels,
    render_quick,
    render_template,
    render_whales,
)
from bot.commentary.views import build_view
from bot.errors import MissingReason
from bot.market.models import MarketSnapshot, Missing
from bot.qa.intents import INTENTS
from tests.unit.commentary_cases import demo_analysis, demo_snapshot, settings
from tests.unit.fact_check import unverified_numbers
from tests.unit.html_validator import html_errors
from tests.unit.test_commentary_articles import FORBIDDEN, empty_headings, visible

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def _stripped(snapshot: MarketSnapshot, bars: int | None) -> MarketSnapshot:
    candles = snapshot.candles if bars is None else MappingProxyType(
        {tf: s.tail(bars) for tf, s in snapshot.candles.items()})
    missing = tuple(Missing(v, "*", MissingReason.TIMEOUT) for v in ("binanceusdm", "okx", "bybit"))
    return dataclasses.replace(snapshot, candles=candles, derivatives=(), whales=None,
                               missing=missing, ticker=None)


def _render_everything(analysis: Analysis) -> list[tuple[str, tuple[str, ...]]]:
    post = render_article(analysis, chat_id=3, flavour="html")
    rendered = [("article", post.messages), ("quick", (render_quick(analysis, "html"),)),
                ("whales", render_whales(analysis, "html")),
                ("levels", render_levels(analysis, "html"))]
    for intent in INTENTS:
        topic = "adx" if intent == "explain" else None
        rendered.append((intent, (render_answer(intent, analysis, "html", topic=topic),)))
    return rendered


@pytest.mark.parametrize("bars", [None, 40, 3])
def test_no_venues_no_whales_and_short_history_drop_their_sentences(bars: int | None) -> None:
    snapshot = _stripped(demo_snapshot("range"), bars)
    analysis = analyse(snapshot, settings())
    view = build_view(analysis)
    for name, messages in _render_everything(analysis):
        for message in messages:
            assert html_errors(message) == [], (name, message)
            assert empty_headings(message, "html") == [], (name, message)
            text = visible(message)
            assert not FORBIDDEN.search(text), (name, text)
            if name != "explain":
                assert unverified_numbers(text, view) == [], (name, text)
    post = render_article(analysis, chat_id=3, flavour="text")
    assert "Binance, OKX and Bybit are left out (no answer in time)." in post.text
    assert "## What the whales hold" not in post.text
    assert "## Whales" not in post.text


def test_no_whales_answers_say_so_plainly() -> None:
    analysis = analyse(_stripped(demo_snapshot("range"), None), settings())
    assert render_answer("whales", analysis, "text").startswith("I have no whale data for")
    assert render_answer("funding", analysis, "text").startswith("I have no funding data")


def test_hostile_labels_and_symbols_are_escaped() -> None:
    analysis = demo_analysis("squeeze")
    assert analysis.whales is not None and analysis.whales.largest
    big = dataclasses.replace(analysis.whales.largest[0], label=HOSTILE)
    whales = dataclasses.replace(analysis.whales, largest=(big, *analysis.whales.largest[1:]))
    hostile = dataclasses.replace(analysis, whales=whales, symbol="<i>BTC</i>&")
    for name, messages in _render_everything(hostile):
        for message in messages:
            assert html_errors(message) == [], (name, message)
            assert "<script>" not in message
    whale_text = visible("".join(render_whales(hostile, "html")))
    assert HOSTILE in whale_text
    assert "<i>BTC</i>&" in whale_text


def test_hostile_user_input_in_errors_is_escaped() -> None:
    message = render_template("telegram/error.j2", "html", kind="unknown_symbol",
                              symbol=HOSTILE, suggestion="BTC", command="price")
    assert html_errors(message) == []
    assert visible(message).startswith("I don't cover " + HOSTILE[:39] + "…")
    assert "did you mean BTC?" in visible(message)
    message = render_template("telegram/error.j2", "html", kind="data", symbol=HOSTILE)
    assert html_errors(message) == [] and "<script>" not in message
