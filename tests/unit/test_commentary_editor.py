"""The editor: each rule catches a violating draft, and what is sent is the fallback."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.analysis.model import Analysis, TrendReading
from bot.commentary.claims import Claim, Claims, Figure
from bot.commentary.editor import review
from bot.commentary.posts import (
    edited_article,
    edited_quick,
    reheadline,
    render_article,
    render_levels,
)
from bot.commentary.views import build_view
from tests.unit.commentary_cases import demo_analysis, replay_analysis


def _rules(claims: tuple[Claim, ...], analysis: Analysis,
           figures: tuple[Figure, ...] = ()) -> set[str]:
    found = review(Claims(claims, figures), build_view(analysis), analysis, with_outlook=False)
    return {v.rule for v in found}


def _with_day_trend(analysis: Analysis, **fields: object) -> Analysis:
    reading = dataclasses.replace(analysis.trend["1d"], **fields)  # type: ignore[arg-type]
    return dataclasses.replace(analysis, trend={**analysis.trend, "1d": reading})


def test_a_bearish_headline_on_a_rising_day_is_rejected() -> None:
    analysis = demo_analysis("crash_rebound")
    assert analysis.price is not None
    rising = dataclasses.replace(analysis, price=dataclasses.replace(analysis.price,
                                                                     change_24h_pct=9.76))
    bearish = Claim("tone", "headline", direction="bearish", basis="day")

    assert _rules((bearish,), rising) == {"headline_direction"}
    assert _rules((dataclasses.replace(bearish, direction="bullish"),), rising) == set()


def test_a_small_bounce_is_not_a_rebound() -> None:
    analysis = demo_analysis("crash_rebound")

    assert _rules((Claim("rebound", "price", value=1.2, other=-6.0),), analysis) == {
        "rebound_threshold"}
    assert _rules((Claim("rebound", "price", value=5.0, other=-6.0),), analysis) == set()


def test_a_swing_low_above_the_day_low_is_not_the_low() -> None:
    analysis = demo_analysis("crash_rebound")
    assert analysis.price is not None and analysis.price.low_24h is not None
    low = analysis.price.low_24h

    assert _rules((Claim("low", "final", value=low * 1.02),), analysis) == {
        "swing_low_as_day_low"}
    assert _rules((Claim("low", "final", value=low),), analysis) == set()


def test_tied_di_told_as_one_side_above_is_rejected() -> None:
    analysis = demo_analysis("crash_rebound")

    assert _rules((Claim("di_order", "technicals", value=21.2, other=20.9, timeframe="1d"),),
                  analysis) == {"di_tie"}


def test_a_forming_candle_reading_must_say_so() -> None:
    analysis = _with_day_trend(demo_analysis("crash_rebound"), forming=True)

    assert _rules((Claim("reading", "technicals", timeframe="1d"),), analysis) == {
        "forming_candle"}
    assert _rules((Claim("reading", "technicals", timeframe="1d", disclosed=True),),
                  analysis) == set()


def test_old_whale_figures_need_their_time() -> None:
    analysis = demo_analysis("crash_rebound")
    old = analysis.as_of - timedelta(hours=11)

    assert _rules((Claim("data", "whales", basis="whales", when=old),), analysis) == {
        "stale_data"}
    assert _rules((Claim("data", "whales", basis="whales", when=old, disclosed=True),),
                  analysis) == set()


def test_a_reversal_level_below_price_contradicts_the_post() -> None:
    analysis = demo_analysis("crash_rebound")
    assert analysis.price is not None
    below = analysis.price.last * 0.95

    assert _rules((Claim("level", "abstract", basis="reclaim", value=below),), analysis) == {
        "sections_contradict"}


def test_a_figure_in_three_sections_is_one_too_many() -> None:
    analysis = demo_analysis("crash_rebound")
    thrice = tuple(Figure(s, "usd:$60k") for s in ("headline", "brief", "price"))

    assert _rules((), analysis, thrice) == {"repeated_figure"}
    assert _rules((), analysis, thrice[:2]) == set()


def test_tied_di_are_sent_as_level_not_as_buyers_in_control() -> None:
    analysis = _with_day_trend(demo_analysis("crash_rebound"), plus_di=21.2, minus_di=20.9,
                               direction="bullish", strength="strong", adx=44.0)
    text = render_article(analysis, chat_id=1, flavour="text").text

    assert "+DI and −DI are level at 21" in text
    assert "sits above −DI (21)" not in text
    assert "Buyers in control" not in text


def test_a_forming_daily_reading_is_disclosed() -> None:
    analysis = _with_day_trend(demo_analysis("crash_rebound"), forming=True)
    text = render_article(analysis, chat_id=1, flavour="text").text

    assert "(the current candle still forming)" in text


def test_an_eleven_hour_old_whale_snapshot_shows_its_time() -> None:
    analysis = demo_analysis("crash_rebound")
    assert analysis.whales is not None
    old = dataclasses.replace(analysis.whales, as_of=analysis.as_of - timedelta(hours=11))
    post = edited_article(dataclasses.replace(analysis, whales=old), chat_id=1, flavour="text")
    quick = edited_quick(dataclasses.replace(analysis, whales=old), "text").post

    assert "These whale figures come from the 01:00 UTC snapshot." in post.post.text
    assert "Whales (01:00 UTC)" in quick


def test_the_issue_headline_over_a_rebound_day_is_rewritten(shared_data: object) -> None:
    analysis = replay_analysis("BTC", datetime(2026, 2, 6, 21, tzinfo=UTC))
    edited = edited_article(analysis, chat_id=0, flavour="text")

    assert "headline_direction" in {v.rule for v in edited.edit.first_draft}
    assert "shaken by" not in edited.post.headline and "slide" not in edited.post.headline
    assert "$71.5k" in edited.post.headline or "9.76%" in edited.post.headline


def test_the_daily_di_comes_from_closed_candles(shared_data: object) -> None:
    analysis = replay_analysis("BTC", datetime(2026, 3, 4, 16, tzinfo=UTC))
    text = render_article(analysis, chat_id=0, flavour="text").text

    assert not analysis.trend["1d"].forming
    assert "+DI (21) sits above −DI (21)" not in text


def test_a_swing_low_above_the_day_low_is_not_told(shared_data: object) -> None:
    analysis = replay_analysis("ETH", datetime(2026, 6, 7, 12, tzinfo=UTC))
    text = render_article(analysis, chat_id=0, flavour="text").text

    assert "$1,608" not in text
    assert build_view(analysis).swing is None


def test_trend_reading_defaults_to_closed() -> None:
    assert TrendReading("1d").forming is False


def test_a_chats_own_digest_headline_passes_the_editor_too(shared_data: object) -> None:
    analysis = replay_analysis("BTC", datetime(2026, 2, 6, 21, tzinfo=UTC))
    shared = render_article(analysis, chat_id=0, flavour="text")
    headlines = [reheadline(shared, analysis, chat_id) for chat_id in range(-20, 0)]

    chosen = [h.text for h in headlines if h is not None]
    assert chosen
    assert not any("slide" in h or "shaken" in h or "loses ground" in h for h in chosen)


def test_levels_on_a_bullish_read_name_no_reversal_level() -> None:
    analysis = demo_analysis("crash_rebound")
    bullish = dataclasses.replace(analysis, bias=dataclasses.replace(
        analysis.bias, score=0.4, label="bullish"))
    text = "\n".join(render_levels(bullish, "text"))
    quick = edited_quick(bullish, "text").post

    assert bullish.levels.reversal is not None
    assert round(bullish.levels.reversal.price, -2) == 105_300
    assert "Resistance to clear: $105.3k (daily swing zone)." in text
    assert "Reversal level" not in text
    assert "resistance $105.3k (daily swing zone)" in quick and "reversal" not in quick
