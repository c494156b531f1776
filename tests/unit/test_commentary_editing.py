"""Editor's pass: posts read like a desk wrote them (plurals, one-sided whales, no echoes)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.analysis.model import Analysis, WhalePositionView
from bot.commentary import render_article, render_quick
from bot.commentary.posts import render_answer
from bot.commentary.related import pick_intents
from bot.commentary.views import build_view
from tests.unit.commentary_cases import (
    DEMO_CASES,
    REFERENCE_MOMENT,
    demo_analysis,
    replay_analysis,
    replay_moments,
)
from tests.unit.fact_check import unverified_numbers


def _one_short_whale(analysis: Analysis, tracked: int = 1) -> Analysis:
    """``analysis`` whose whale book holds a single $9.4M short."""
    assert analysis.whales is not None
    short = WhalePositionView(address="0x94d3", label="Whale 0x94d3", side="short",
                              size=150.0, notional_usd=9_400_000.0, entry_price=70_121.0,
                              leverage=20.0, liquidation_price=88_400.0)
    whales = dataclasses.replace(
        analysis.whales, addresses_covered=tracked, addresses_with_position=1,
        long_notional_usd=0.0, short_notional_usd=9_400_000.0, net_notional_usd=-9_400_000.0,
        long_count=0, short_count=1, largest=(short,), changes=(), rank_moves=())
    return dataclasses.replace(analysis, whales=whales)


def _all_short(analysis: Analysis) -> Analysis:
    """``analysis`` whose tracked whales are all short (three positions)."""
    assert analysis.whales is not None
    shorts = tuple(dataclasses.replace(p, side="short") for p in analysis.whales.largest[:3])
    total = sum(p.notional_usd for p in shorts)
    whales = dataclasses.replace(
        analysis.whales, addresses_with_position=3, long_notional_usd=0.0,
        short_notional_usd=total, net_notional_usd=-total, long_count=0, short_count=3,
        largest=shorts, changes=(), rank_moves=())
    return dataclasses.replace(analysis, whales=whales)


def _paragraph(text: str, heading: str) -> str:
    return text.split("## " + heading, 1)[1].split("\n## ", 1)[0]


def test_one_tracked_address_is_singular_everywhere() -> None:
    analysis = _one_short_whale(demo_analysis("crash_rebound"))
    text = render_article(analysis, chat_id=1, flavour="text").text
    assert "Our one tracked address holds a position in BTC: a $9.4M short" in text
    assert "1 tracked" not in text and "1 hold " not in text
    quick = render_quick(analysis, "text")
    assert "(1 of 1 address)" in quick
    assert unverified_numbers(text, build_view(analysis)) == []


def test_one_sided_whales_read_as_all_short_not_zero_long() -> None:
    single = render_article(_one_short_whale(demo_analysis("range")), chat_id=2, flavour="text")
    assert "$0 long" not in single.text and "(0)" not in single.text
    assert "0% long" not in single.text
    assert "The tracked whale is short" in single.text
    assert "The only tracked whale in play holds a $9.4M short." in single.text
    assert "• Whale positioning is entirely short." in single.text

    many = _all_short(demo_analysis("range"))
    text = render_article(many, chat_id=2, flavour="text").text
    assert "## Whales are all short" in text
    assert "every one of them short" in text
    assert "• Every tracked whale position is short." in text
    assert "all short" in render_quick(many, "text")
    answer = render_answer("whales", many, "text")
    assert "$0" not in answer
    assert unverified_numbers(text, build_view(many)) == []


def test_several_addresses_keep_plural_counts() -> None:
    text = render_article(demo_analysis("crash_rebound"), chat_id=1, flavour="text").text
    assert "Of the 8 tracked addresses, 5 hold BTC positions: 3 longs worth" in text
    assert "2 shorts worth" in text


@pytest.mark.parametrize("chat_id", range(12))
def test_in_brief_states_the_bias_once(shared_data: object, chat_id: int) -> None:
    post = render_article(replay_analysis("BTC", REFERENCE_MOMENT), chat_id=chat_id,
                          flavour="text")
    brief = _paragraph(post.text, "In brief")
    assert brief.lower().count("strongly bearish") == 1, brief
    assert brief.count("gauges") <= 1, brief


def test_bias_is_led_by_a_reason_that_agrees_with_it() -> None:
    analysis = demo_analysis("breakout")
    text = render_article(analysis, chat_id=1, flavour="text").text
    brief = _paragraph(text, "In brief")
    assert "Our gauges read bullish, led by price 2.57% below" not in brief
    assert "pulls the other way" in brief


def _sentences(text: str) -> list[str]:
    body = text.split("## Related questions", 1)[0]
    parts = re.split(r"(?<=[.!?])\s+|\n", body)
    return [s.strip() for s in parts if len(s.strip()) > 40]


@pytest.mark.parametrize(("episode", "symbol"), DEMO_CASES)
def test_no_sentence_repeats_within_a_digest(episode: str, symbol: str) -> None:
    text = render_article(demo_analysis(episode, symbol), chat_id=3, flavour="text").text
    sentences = _sentences(text)
    assert len(sentences) == len(set(sentences)), sentences


def test_related_answers_do_not_repeat_the_article_sections(shared_data: object) -> None:
    post = render_article(replay_analysis("BTC", REFERENCE_MOMENT), chat_id=1, flavour="text")
    body = post.text.split("## Related questions", 1)[0]
    for q in post.related:
        for sentence in re.split(r"(?<=[.!?])\s+", q.answer):
            if len(sentence) > 60:
                assert sentence not in body, (q.intent, sentence)


def test_related_questions_follow_what_is_notable(shared_data: object) -> None:
    picks = {tuple(pick_intents(build_view(replay_analysis(sym, at))))
             for sym in ("BTC", "ETH") for at in replay_moments()}
    picks |= {tuple(pick_intents(build_view(demo_analysis(ep, sym)))) for ep, sym in DEMO_CASES}
    assert len(picks) >= 5, picks
    assert all(3 <= len(p) <= 5 for p in picks)


def test_single_venue_reads_on_not_across(shared_data: object) -> None:
    text = render_article(replay_analysis("BTC", REFERENCE_MOMENT), chat_id=1,
                          flavour="text").text
    assert "per eight hours on Binance" in text
    assert "across Binance:" not in text


def test_missing_day_change_leaves_no_dangling_and(shared_data: object) -> None:
    for sym in ("BTC", "ETH"):
        for at in replay_moments():
            text = render_article(replay_analysis(sym, at), chat_id=1, flavour="text").text
            assert not re.search(r"last traded at \$[\d,.]+ and ", text), (sym, at)


def test_times_from_the_previous_day_say_so(shared_data: object) -> None:
    text = render_article(replay_analysis("BTC", REFERENCE_MOMENT), chat_id=1,
                          flavour="text").text
    assert "from $78,459 (at 13:00 UTC yesterday)" in text
    assert "(at 19:00 UTC yesterday, −7.03%)" in text


def test_levels_say_above_or_below_instead_of_signed_away() -> None:
    from bot.commentary import render_levels
    text = "\n".join(render_levels(demo_analysis("breakout"), "text"))
    assert " away" not in text
    assert re.search(r"\d% above", text) and re.search(r"\d% below", text)


A_BEFORE_VOWEL_SOUND = re.compile(r"\b[Aa] [+\u2212]?\$?(?:8|11(?![\d,])|11\.|18(?![\d,])|18\.)")


@pytest.mark.parametrize("symbol", ["BTC", "ETH"])
def test_amounts_spoken_with_a_vowel_take_an(shared_data: object, symbol: str) -> None:
    analysis = replay_analysis(symbol, REFERENCE_MOMENT)
    for chat_id in range(16):
        text = render_article(analysis, chat_id=chat_id, flavour="text").text
        assert not A_BEFORE_VOWEL_SOUND.search(text), A_BEFORE_VOWEL_SOUND.search(text)


def test_whales_view_names_the_largest_position_once(shared_data: object) -> None:
    from bot.commentary import render_whales
    text = "\n".join(render_whales(replay_analysis("BTC", replay_moments()[3]), "text"))
    assert text.count("$51.2M short") == 1  # only in the largest-positions list
    assert "The largest is" not in text
    assert "In the top-ranked list, 23 positions moved in or out" in text


CALM_WORDS = ("tight session", "treads water", "Stalemate", "goes nowhere")


def test_a_crash_on_a_flat_day_gets_a_crash_headline() -> None:
    analysis = demo_analysis("crash_rebound")
    assert analysis.price is not None
    assert analysis.price.swing is not None
    swing = dataclasses.replace(analysis.price.swing, rebound_pct=0.2)
    price = dataclasses.replace(analysis.price, change_24h_pct=-0.4, swing=swing)
    flat_crash = dataclasses.replace(analysis, price=price)
    view = build_view(flat_crash)
    assert view.scenario.key.startswith("flat.") and not view.rebounded
    for chat_id in range(10):
        headline = render_article(flat_crash, chat_id=chat_id, flavour="text").headline
        assert not any(word in headline for word in CALM_WORDS), headline
