"""/liqalerts and the fan-out of bursts: floors, cooldown and daily cap, once per chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.liquidation_alerts import LiquidationAlerts
from bot.app.push_delivery import PushDelivery
from bot.app.requests import Destination
from bot.config import Settings, settings_from_dict
from bot.errors import ConfigError
from bot.market.demo import DemoSource
from bot.market.liquidations import Liquidation
from tests.unit.alert_doubles import RecordingSender, service_on

NOW = datetime(2026, 2, 5, 14, 30, tzinfo=UTC)
GROUP = Destination(-100, "supergroup", 7)
PRIVATE = Destination(42, "private")


async def _feature(settings: Settings, tmp_path: Path, live: bool = True
                   ) -> tuple[LiquidationAlerts, RecordingSender]:
    service = await service_on(settings, DemoSource(settings), tmp_path / "bot.sqlite3")
    sender = RecordingSender()
    delivery = PushDelivery(service.storage, sender, lambda: NOW)
    return LiquidationAlerts(service, delivery.send_all, lambda: NOW, live=live), sender


def _btc_longs(usd: float, start: datetime = NOW) -> list[Liquidation]:
    return [Liquidation("bybit", "BTC", "long", usd / 2, 97_000.0, start),
            Liquidation("okx", "BTC", "long", usd / 2, 96_500.0, start + timedelta(seconds=30))]


async def test_the_command_switches_the_chat_and_names_a_floor(
        settings: Settings, tmp_path: Path) -> None:
    feature, _ = await _feature(settings, tmp_path, live=False)
    try:
        before = feature.render(await feature.command(PRIVATE, []))
        on = feature.render(await feature.command(PRIVATE, ["on", "$40M"]))
        ran = feature.running
        status = feature.render(await feature.command(PRIVATE, []))
        bad = feature.render(await feature.command(PRIVATE, ["on", "lots"]))
        off = feature.render(await feature.command(PRIVATE, ["OFF"]))
        again = feature.render(await feature.command(PRIVATE, ["off"]))
        opted = await feature.store.of_chat(PRIVATE.chat_id)
    finally:
        await feature.close()
        await feature.service.storage.close()
    assert before.startswith("Liquidation alerts are off here.")
    assert "BTC $25M, ETH $15M, SOL $10M within 3 minutes" in on
    assert "only bursts of at least $40M" in on
    # no live venues behind this service (the demo market): said, and no stream runs
    assert "not live venues, so no liquidation streams run here" in on and ran is False
    assert "for bursts of at least $40M" in status
    assert "I didn't understand on lots." in bad
    assert off == "Liquidation alerts are off for this chat."
    assert again.startswith("Liquidation alerts were not on here.")
    assert opted == []


async def test_a_burst_goes_to_each_chat_whose_floor_it_reaches_once(
        settings: Settings, tmp_path: Path) -> None:
    feature, sender = await _feature(settings, tmp_path)
    try:
        await feature.store.subscribe(GROUP.chat_id, GROUP.thread_id, "liquidations", 0, NOW)
        await feature.store.subscribe(PRIVATE.chat_id, None, "liquidations", 50e6, NOW)
        await feature.on_liquidations(_btc_longs(30e6))
        [burst] = [r.burst for r in feature.reports]
        replayed = await feature.announce(burst)  # the same burst seen again: nothing new
    finally:
        await feature.service.storage.close()
    [report] = feature.reports
    assert (report.staged, report.below_floor, report.held) == (1, 1, 0)
    assert [chat for chat, _ in sender.sent] == [GROUP.chat_id]
    assert sender.sent[0][1].startswith("💥 $30M of BTC longs liquidated in 1 minute as BTC "
                                        "fell $500 to $96,500.")
    assert replayed.staged == 0


async def test_a_chat_in_its_cooldown_skips_the_next_burst(
        settings: Settings, tmp_path: Path) -> None:
    feature, sender = await _feature(settings, tmp_path)
    try:
        await feature.store.subscribe(GROUP.chat_id, None, "liquidations", 0, NOW)
        await feature.on_liquidations(_btc_longs(30e6))
        await feature.on_liquidations([Liquidation("bybit", "ETH", "short", 20e6, 2_500.0,
                                                   NOW + timedelta(seconds=40))])
    finally:
        await feature.service.storage.close()
    assert [(r.burst.coin, r.staged, r.held) for r in feature.reports] == [
        ("BTC", 1, 0), ("ETH", 0, 1)]
    assert len(sender.sent) == 1


def test_bad_liquidation_settings_name_the_key(settings: Settings) -> None:
    base = settings.model_dump(exclude={"config_dir"})
    cases = {
        "liquidations.ws_url: expected a ws(s) URL for okx": {"ws_url": {"okx": "http://x"}},
        "liquidations.venues: expected venue ids from": {"venues": ["hyperliquid"]},
        "liquidations.coins and liquidations.thresholds to name configured": {
            "thresholds": {"PEPE": 1e6}},
    }
    for expected, liquidations in cases.items():
        with pytest.raises(ConfigError) as caught:
            settings_from_dict({**base, "liquidations": liquidations})
        assert expected in str(caught.value)
