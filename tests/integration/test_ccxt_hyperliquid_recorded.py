"""Recorded Hyperliquid answers (../shared/data) served by the fake parse to the recorded values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import TrackedWhale, load_settings
from bot.market.ccxt_source import CcxtSource
from bot.market.whale_watch import TRANSFER_LOOKBACK_MS
from tests.fakes.cassettes import cassette_bodies
from tests.fakes.fake_exchange import loopback_only, running_fake_exchange
from tests.fakes.fake_market import FakeWhale, now_ms

__all__ = ["loopback_only"]
CASSETTES = Path("hyperliquid") / "sdk_cassettes"


@pytest.mark.usefixtures("loopback_only")
async def test_recorded_positions_and_deposits_reach_the_whale_book(shared_data: Path) -> None:
    ((state_req, state),) = cassette_bodies(shared_data / CASSETTES / "test_get_user_state.yaml")
    ((_, ledger),) = cassette_bodies(
        shared_data / CASSETTES / "test_user_non_funding_ledger_updates_without_end_time.yaml"
    )
    newest = max(e["time"] for e in ledger)
    shifted = [{**e, "time": now_ms() - (newest - e["time"]) - 60_000} for e in ledger]
    address = state_req["user"]
    async with running_fake_exchange() as fx:
        fx.market.whales[address] = FakeWhale(state["assetPositions"], shifted)
        base = load_settings()
        whales = base.whales.model_copy(
            update={"tracked": (TrackedWhale(address=address, label="recorded"),)}
        )
        settings = fx.settings(
            base.model_copy(update={"whales": whales}), retries=0, derivatives=("hyperliquid",)
        )
        src = CcxtSource(settings)
        snap = await src.snapshot("BTC")
        await src.close()
        assert fx.errors == []
    assert snap.whales is not None
    (trader,) = snap.whales.traders
    recorded = {p["position"]["coin"]: p["position"] for p in state["assetPositions"]}
    assert [p.coin for p in trader.positions] == list(recorded)
    btc = next(p for p in trader.positions if p.coin == "BTC")
    assert (btc.side, btc.size, btc.entry_price) == ("short", 0.00785, 26_951.0)
    assert btc.notional_usd == pytest.approx(211.64542)
    assert btc.liquidation_price == pytest.approx(173_198.69592357)
    assert btc.unrealized_pnl == pytest.approx(-0.08007)
    assert next(p for p in trader.positions if p.coin == "ETH").liquidation_price is None
    # the recorded deposits of the last seven days (the older one falls outside the lookback)
    deposits = [
        float(e["delta"]["usdc"]) for e in shifted
        if e["delta"]["type"] == "deposit" and e["time"] >= now_ms() - TRANSFER_LOOKBACK_MS
    ]
    assert deposits == [pytest.approx(1_099_994.98)]
    assert [d.amount_usd for d in snap.whales.deposits] == pytest.approx(deposits)
