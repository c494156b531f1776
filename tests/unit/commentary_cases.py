"""Snapshots and analyses the commentary tests render: replay moments and demo episodes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from bot.analysis import analyse
from bot.analysis.model import Analysis
from bot.config import Settings, load_settings
from bot.market.demo import DEMO_EPISODES, DemoSource
from bot.market.models import MarketSnapshot
from bot.market.replay import ReplaySource
from tests.conftest import shared_data_or_skip

#: The issue's reference moment (the day before BTC fell to $62.3k).
REFERENCE_MOMENT = datetime(2026, 2, 4, 12, tzinfo=UTC)
#: Whale snapshot times in the shared data (the whale section is populated near them).
WHALE_MOMENTS = (
    datetime(2026, 2, 4, 14, 30, tzinfo=UTC),
    datetime(2026, 2, 5, 12, 44, tzinfo=UTC),
    datetime(2026, 2, 5, 19, 53, tzinfo=UTC),
)


def replay_moments() -> list[datetime]:
    """Moments spread over the data: the reference, whale times, then every 11 days."""
    start = datetime(2026, 2, 8, 7, tzinfo=UTC)
    spread = [start + timedelta(days=11 * i, hours=5 * i) for i in range(15)]
    return [REFERENCE_MOMENT, *WHALE_MOMENTS, *spread]


@cache
def settings() -> Settings:
    """Bundled settings."""
    return load_settings()


@cache
def _replay() -> ReplaySource:
    return ReplaySource(shared_data_or_skip(), None, settings())


@cache
def replay_snapshot(symbol: str, at: datetime) -> MarketSnapshot:
    """A replayed snapshot (skips the test when ../shared/data is missing)."""
    return _replay().at_time(at).snapshot_now(symbol)


@cache
def replay_analysis(symbol: str, at: datetime) -> Analysis:
    """The analysis of a replayed snapshot."""
    return analyse(replay_snapshot(symbol, at), settings())


@cache
def demo_snapshot(episode: str, symbol: str = "BTC") -> MarketSnapshot:
    """A demo snapshot at one of the demo episodes."""
    return DemoSource(settings(), DEMO_EPISODES[episode]).snapshot_now(symbol)


@cache
def demo_analysis(episode: str, symbol: str = "BTC") -> Analysis:
    """The analysis of a demo episode."""
    return analyse(demo_snapshot(episode, symbol), settings())


DEMO_CASES = [(ep, sym) for ep in sorted(DEMO_EPISODES) for sym in ("BTC", "ETH", "SOL")]
