"""The demo market's scripted episodes are each detected by the analysis."""

from __future__ import annotations

import pytest

from bot.analysis import analyse
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.market.demo_script import DEMO_EPISODES

EXPECTED = {
    "crash_rebound": ("crash", "rebound"),
    "breakout": ("breakout", "volume_surge"),
    "range": ("range",),
    "squeeze": ("squeeze",),
}


@pytest.mark.parametrize("episode", sorted(DEMO_EPISODES))
@pytest.mark.parametrize("symbol", ["BTC", "ETH"])
async def test_each_demo_episode_is_detected(settings: Settings, episode: str, symbol: str) -> None:
    snap = await DemoSource(settings, DEMO_EPISODES[episode]).snapshot(symbol)
    kinds = {e.kind for e in analyse(snap, settings).events}
    assert set(EXPECTED[episode]) <= kinds


async def test_squeeze_is_a_short_squeeze_against_negative_funding(settings: Settings) -> None:
    snap = await DemoSource(settings, DEMO_EPISODES["squeeze"]).snapshot("BTC")
    result = analyse(snap, settings)
    squeeze = result.event("squeeze")
    assert squeeze is not None and squeeze.direction == "bullish"
    assert (squeeze.change_pct or 0) > 4
    assert (result.derivatives.funding_rate_8h_mean.value or 0) < 0


async def test_the_range_episode_is_not_called_a_crash_or_breakout(settings: Settings) -> None:
    snap = await DemoSource(settings, DEMO_EPISODES["range"]).snapshot("BTC")
    kinds = {e.kind for e in analyse(snap, settings).events}
    assert not kinds & {"crash", "breakout", "breakdown", "squeeze"}
