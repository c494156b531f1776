"""``record`` writes live snapshots in the replay format; whales keep their previous observation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.errors import UnknownSymbolError
from bot.market.ccxt_source import CcxtSource
from bot.market.record import record
from bot.market.recording import read_snapshots
from tests.fakes.fake_exchange import FakeExchange, fake_exchange, loopback_only
from tests.fakes.fake_market import TRACKED_WHALE

__all__ = ["fake_exchange", "loopback_only"]


def quick_settings(fx: FakeExchange) -> Settings:
    return fx.settings(load_settings(), retries=0, derivatives=("binanceusdm", "hyperliquid"))


async def test_record_writes_one_line_per_symbol_and_round(
    fake_exchange: FakeExchange, tmp_path: Path
) -> None:
    sleeps: list[float] = []

    async def no_wait(seconds: float) -> None:
        sleeps.append(seconds)

    written = await record(
        quick_settings(fake_exchange), tmp_path, ["BTC", "ether"], duration=900, every=300,
        sleep=no_wait,
    )
    (path,) = tmp_path.glob("live-*.jsonl")
    snaps = read_snapshots(path)
    assert written == 6 == len(snaps)
    assert len(sleeps) == 2
    assert [s.symbol for s in snaps] == ["BTC", "ETH"] * 3
    btc = snaps[0]
    assert btc.source == "live"
    (binance,) = [d for d in btc.derivatives if d.venue == "binanceusdm"]
    expected = fake_exchange.market.expected_oi_usd("BTC", "binanceusdm")
    assert binance.open_interest_usd == pytest.approx(expected)
    assert btc.whales is not None and btc.whales.traders[0].address == TRACKED_WHALE


async def test_record_refuses_unknown_symbols_before_writing(
    fake_exchange: FakeExchange, tmp_path: Path
) -> None:
    with pytest.raises(UnknownSymbolError):
        await record(quick_settings(fake_exchange), tmp_path, ["BTC", "NOPE"], 60, 60)
    assert list(tmp_path.glob("*.jsonl")) == []


async def test_whale_book_links_the_previous_observation_for_diffs(
    fake_exchange: FakeExchange,
) -> None:
    settings = quick_settings(fake_exchange)
    settings = settings.model_copy(
        update={"cache": settings.cache.model_copy(update={"whales_ttl": 0.0})}
    )
    src = CcxtSource(settings)
    await src.start()
    first = await src.snapshot("BTC")
    whale = fake_exchange.market.whales[TRACKED_WHALE]
    whale.asset_positions = [p for p in whale.asset_positions if p["position"]["coin"] != "BTC"]
    second = await src.snapshot("BTC")
    await src.close()
    assert first.whales is not None and first.whales.previous is None
    assert second.whales is not None and second.whales.previous is not None
    coins_now = [p.coin for p in second.whales.traders[0].positions]
    coins_before = [p.coin for p in second.whales.previous.traders[0].positions]
    assert (coins_before, coins_now) == (["BTC", "ETH"], ["ETH"])


async def test_a_written_config_points_the_bot_at_the_fake(
    fake_exchange: FakeExchange, tmp_path: Path
) -> None:
    settings = load_settings(fake_exchange.write_config(tmp_path / "config.toml"))
    assert settings.venues.api_url["okx"] == fake_exchange.url("okx")
    src = CcxtSource(settings)
    snap = await src.snapshot("SOL")
    await src.close()
    (okx,) = [d for d in snap.derivatives if d.venue == "okx"]
    expected = fake_exchange.market.expected_oi_usd("SOL", "okx")
    assert okx.open_interest_usd == pytest.approx(expected)
