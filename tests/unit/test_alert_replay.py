"""Alerts on real data: levels set on 2026-02-04 fire exactly once as the real 1h candles of
../shared/data cross them (skipped, with the reason, when the data is missing).

The round runs every hour of replayed time from 2026-02-04 00:00 to 2026-02-06 00:00; the
expected firing of each level is read from the kline CSV directly: the close of the first
1h candle (opened after the alert was set) whose high/low reaches the level.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.alerts.rules import AlertRequest, Asked, make_rule
from bot.app.alert_round import AlertRound
from bot.config import Settings
from bot.market.replay import ReplaySource
from bot.storage.alerts import NewAlert
from tests.unit.alert_doubles import RecordingSender, service_on

START = datetime(2026, 2, 4, tzinfo=UTC)
END = datetime(2026, 2, 6, tzinfo=UTC)
CHAT = 99
#: (side, level): 76.5k and 72k are crossed on the 4th, 70k and 65k in the crash of the 5th,
#: 77k and 60k never (the 4th's high is 76,971.52, the 5th's low 62,345).
LEVELS: tuple[tuple[Asked, float], ...] = (
    ("above", 76_500), ("below", 72_000), ("below", 70_000), ("below", 65_000),
    ("above", 77_000), ("below", 60_000))


def _hours(data: Path) -> list[tuple[datetime, float, float]]:
    """(open time, high, low) of the BTC 1h candles in [START, END)."""
    [path] = (data / "ohlcv").glob("BTCUSDT_1h_*.csv")
    with path.open() as f:
        rows = [(datetime.fromtimestamp(int(r["open_time"]) / 1000, UTC), float(r["high"]),
                 float(r["low"])) for r in csv.DictReader(f)]
    return [r for r in rows if START <= r[0] < END]


def _expected(hours: list[tuple[datetime, float, float]], side: str, level: float
              ) -> datetime | None:
    for opened, high, low in hours:
        if (high >= level) if side == "above" else (low <= level):
            return opened + timedelta(hours=1)
    return None


async def test_levels_of_the_4th_fire_once_as_real_candles_cross_them(
    shared_data: Path, settings: Settings, tmp_path: Path
) -> None:
    replay = ReplaySource(shared_data, START, settings)
    service = await service_on(settings, replay, tmp_path / "bot.sqlite3")
    price = replay.snapshot_now("BTC").last_price
    assert price is not None
    ids: dict[int, tuple[str, float]] = {}
    for side, level in LEVELS:
        rule = make_rule(AlertRequest("btc", side, level), price, START)
        alert_id = await service.storage.alerts.add(NewAlert(
            CHAT, None, "BTC", rule.kind, rule.level, None, None, False, START, None))
        ids[alert_id] = (side, level)
    sender = RecordingSender()
    now = START
    round_ = AlertRound(service, sender, lambda: now)
    fired_at: dict[int, list[datetime]] = {i: [] for i in ids}
    while now < END:
        now += timedelta(hours=1)
        service.source = replay.at_time(now)
        before = len(sender.sent)
        await round_.run()
        for alert in [await service.storage.alerts.get(i) for i in ids]:
            assert alert is not None
            if alert.fired_at == now and len(sender.sent) > before:
                fired_at[alert.id].append(now)
    await service.storage.close()
    hours = _hours(shared_data)
    expected = {i: _expected(hours, side, level) for i, (side, level) in ids.items()}
    assert {i: (times[0] if times else None) for i, times in fired_at.items()} == expected
    assert all(len(times) <= 1 for times in fired_at.values())
    assert sum(t is not None for t in expected.values()) == 4
    assert sum(text.count("🔔") for _, text in sender.sent) == 4


def test_cli_replays_the_stream_a_chat_would_have_received(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    rc = main(["alerts", "--replay", str(shared_data), "--from", "2026-02-04T00:00:00Z",
               "--to", "2026-02-06T00:00:00Z", "--alert", "btc below 72k", "--alert",
               "btc 65k", "--alert", "btc above 77k for 1d", "--no-whales"])
    out = capsys.readouterr().out
    assert rc == 0
    assert out.count("🔔 BTC dropped below") == 2 and "$77,000 on" not in out
    assert "[2026-02-04T23:00:00+00:00]\n🔔 BTC dropped below $72,000" in out
    assert "I read $65,000 as below" in out
    assert out.rstrip().endswith("2 alert messages from 4 Feb 2026, 00:00 UTC to 6 Feb 2026, "
                                 "00:00 UTC.")
