"""Caches keyed by the data, not the clock: one analysis, post and chart per content version."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.app.codec import ANALYSIS_CODEC
from bot.app.service import MarketService
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.market.models import MarketSnapshot
from bot.market.version import content_version
from bot.storage import Storage


class SettableSource:
    """Answers every snapshot request with ``current`` (as a live source restamps it)."""

    def __init__(self, current: MarketSnapshot) -> None:
        self.current = current

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        return self.current


@pytest.fixture
async def btc(settings: Settings) -> MarketSnapshot:
    return await DemoSource(settings).snapshot("BTC")


@pytest.fixture
async def storage() -> AsyncIterator[Storage]:
    store = await Storage.open(":memory:", codec=ANALYSIS_CODEC)
    yield store
    await store.close()


def later(snapshot: MarketSnapshot, seconds: float = 5.0) -> MarketSnapshot:
    """The same data stamped ``seconds`` later (what a live source does on a cache hit)."""
    return dataclasses.replace(snapshot, as_of=snapshot.as_of + timedelta(seconds=seconds))


def moved(snapshot: MarketSnapshot, price: float) -> MarketSnapshot:
    """The snapshot with a new ticker (a newer price at a newer time)."""
    assert snapshot.ticker is not None
    ticker = dataclasses.replace(snapshot.ticker, last=price,
                                 timestamp=snapshot.ticker.timestamp + timedelta(seconds=10))
    return dataclasses.replace(later(snapshot, 10), ticker=ticker)


def test_the_version_ignores_the_clock_and_follows_the_data(btc: MarketSnapshot) -> None:
    assert content_version(later(btc)) == content_version(btc)
    changed = content_version(moved(btc, 123_456.0))
    assert changed != content_version(btc)
    assert changed[0] > content_version(btc)[0]  # the newest time moved on
    one_venue_less = dataclasses.replace(btc, derivatives=btc.derivatives[1:])
    assert content_version(one_venue_less) != content_version(btc)


async def test_a_second_identical_chart_request_is_not_drawn_again(
    settings: Settings, storage: Storage, btc: MarketSnapshot
) -> None:
    source = SettableSource(btc)
    service = MarketService(settings, source, storage, flavour="text")
    first = await service.chart("BTC", "4h")
    source.current = later(btc)  # newer stamp, same data
    second = await service.chart("BTC", "4h")
    assert service.chart_renders == 1
    assert second.png == first.png and second.key == first.key
    assert second.post_id == first.post_id


async def test_a_changed_snapshot_is_drawn_again_and_other_timeframes_are_their_own(
    settings: Settings, storage: Storage, btc: MarketSnapshot
) -> None:
    source = SettableSource(btc)
    service = MarketService(settings, source, storage, flavour="text")
    first = await service.chart("BTC", "4h")
    await service.chart("BTC", "1d")
    assert service.chart_renders == 2
    source.current = moved(btc, 123_456.0)
    changed = await service.chart("BTC", "4h")
    assert service.chart_renders == 3
    assert changed.key != first.key
    assert "123,456" in changed.caption and "123,456" not in first.caption


async def test_posts_of_unchanged_data_are_one_stored_post_for_every_chat(
    settings: Settings, storage: Storage, btc: MarketSnapshot
) -> None:
    source = SettableSource(btc)
    service = MarketService(settings, source, storage, flavour="text")
    first = await service.post("BTC", "quick", chat_id=1)
    source.current = later(btc, 30)
    again = await service.post("BTC", "quick", chat_id=2)
    assert again is first
    assert await service.current_as_of("BTC") == btc.as_of  # the data's own time
    source.current = moved(btc, 123_456.0)
    newer = await service.post("BTC", "quick", chat_id=1)
    assert newer.post_id != first.post_id
    assert "123,456" in "".join(newer.messages)
    assert (await storage.counts())["posts"] == 2
