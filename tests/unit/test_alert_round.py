"""The alert round: one snapshot per symbol, one message per chat, cooldown, cap, recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.alerts.rules import AlertRequest, Asked, make_rule
from bot.app.alert_round import AlertRound
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.storage.alerts import NewAlert
from tests.fakes.flaky_source import FlakySource
from tests.unit.alert_doubles import RecordingSender, service_on

#: Demo BTC $101,486 at 20:00 and $99,912 at 22:00; ETH moves too (one snapshot each).
SET_AT = datetime(2026, 2, 28, 20, tzinfo=UTC)
CROSSED_AT = datetime(2026, 2, 28, 22, tzinfo=UTC)
WALL = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _alert(chat: int, symbol: str, asked: Asked, level: float, price: float) -> NewAlert:
    rule = make_rule(AlertRequest(symbol.lower(), asked, level), price, SET_AT)
    return NewAlert(chat, None, symbol, rule.kind, rule.level, rule.pct, rule.rearm_pct,
                    rule.inferred, SET_AT, rule.expires_at)


def _settings(settings: Settings, **alerts: object) -> Settings:
    return settings.model_copy(update={"alerts": settings.alerts.model_copy(update=alerts)})


async def test_many_alerts_cost_one_snapshot_per_symbol_and_one_message_per_chat(
    settings: Settings, tmp_path: Path
) -> None:
    source = FlakySource(DemoSource(settings, SET_AT))
    service = await service_on(settings, source, tmp_path / "bot.sqlite3")
    store = service.storage.alerts
    for level in (100_000, 100_200, 100_400):
        await store.add(_alert(1, "BTC", "below", level, 101_486))
    for chat in range(2, 500):
        await store.add(_alert(chat, "BTC", "below", 90_000, 101_486))
    await store.add(_alert(1, "ETH", "move", 50.0, 3_000))
    sender = RecordingSender()
    round_ = AlertRound(service, sender, lambda: WALL)
    source.demo = DemoSource(settings, CROSSED_AT)
    source.calls.clear()
    report = await round_.run()
    again = await round_.run()
    await service.storage.close()
    assert sorted(source.calls) == ["BTC", "BTC", "ETH", "ETH"]  # two rounds
    assert (report.alerts, report.symbols, report.fired, report.messages) == (502, 2, 3, 1)
    assert again.fired == 0 and len(sender.sent) == 1
    chat, text = sender.sent[0]
    assert chat == 1 and text.count("🔔") == 3


async def test_cooldown_and_daily_cap_hold_alerts_until_the_chat_may_hear_again(
    settings: Settings, tmp_path: Path
) -> None:
    conf = _settings(settings, cooldown_seconds=600, daily_cap=2)
    source = FlakySource(DemoSource(settings, SET_AT))
    service = await service_on(conf, source, tmp_path / "bot.sqlite3")
    store = service.storage.alerts
    first = await store.add(_alert(1, "BTC", "below", 100_000, 101_486))
    sender = RecordingSender()
    now = [WALL]
    round_ = AlertRound(service, sender, lambda: now[0])
    source.demo = DemoSource(settings, CROSSED_AT)
    assert (await round_.run()).fired == 1
    second = await store.add(_alert(1, "BTC", "below", 99_950, 101_486))
    now[0] = WALL + timedelta(minutes=1)
    held = await round_.run()
    now[0] = WALL + timedelta(minutes=11)
    released = await round_.run()
    third = await store.add(_alert(1, "BTC", "below", 99_990, 101_486))
    now[0] = WALL + timedelta(minutes=30)
    capped = await round_.run()
    await service.storage.close()
    assert (held.held, held.fired, released.fired, capped.held) == (1, 0, 1, 1)
    assert [t.count("#" + str(i)) for i, (_, t) in zip((first, second), sender.sent,
                                                        strict=True)] == [1, 1]
    assert third not in (first, second) and len(sender.sent) == 2


async def test_a_message_staged_before_a_crash_is_sent_next_round_and_never_refired(
    settings: Settings, tmp_path: Path
) -> None:
    source = FlakySource(DemoSource(settings, SET_AT))
    service = await service_on(settings, source, tmp_path / "bot.sqlite3")
    await service.storage.alerts.add(_alert(7, "BTC", "below", 100_000, 101_486))
    sender = RecordingSender(fail_next=RuntimeError("connection lost mid-send"))
    round_ = AlertRound(service, sender, lambda: WALL)
    source.demo = DemoSource(settings, CROSSED_AT)
    crashed = await round_.run()
    recovered = await round_.run()
    await service.storage.close()
    assert (crashed.fired, crashed.failed, crashed.messages) == (1, 1, 0)
    assert (recovered.fired, recovered.messages) == (0, 1)
    assert [chat for chat, _ in sender.sent] == [7]


async def test_alerts_follow_a_chat_that_moved(settings: Settings, tmp_path: Path) -> None:
    from bot.errors import ChatMovedError

    source = FlakySource(DemoSource(settings, SET_AT))
    service = await service_on(settings, source, tmp_path / "bot.sqlite3")
    await service.storage.alerts.add(_alert(-5, "BTC", "below", 100_000, 101_486))
    await service.storage.alerts.add(_alert(-5, "BTC", "below", 90_000, 101_486))
    sender = RecordingSender(fail_next=ChatMovedError("migrated", -1_005))
    source.demo = DemoSource(settings, CROSSED_AT)
    report = await AlertRound(service, sender, lambda: WALL).run()
    moved = await service.storage.alerts.of_chat(-1_005)
    await service.storage.close()
    assert report.messages == 1 and [chat for chat, _ in sender.sent] == [-1_005]
    assert [a.level for a in moved] == [90_000]
