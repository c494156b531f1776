"""Price alert rules: parsing, the inferred side, hysteresis, wicks and expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.alerts import AlertRequest, AlertRule, evaluate, make_rule, observe, parse_alert
from bot.alerts.rules import AlreadyThereError, parse_number
from bot.errors import BadArgumentError
from bot.market.models import CandleSeries, ms_from_utc

NOW = datetime(2026, 2, 4, 12, tzinfo=UTC)


@pytest.mark.parametrize(("word", "value"), [
    ("81000", 81_000.0), ("81,000", 81_000.0), ("81k", 81_000.0), ("$2.5k", 2_500.0),
    ("1.2m", 1_200_000.0), ("0.35", 0.35), ("abc", None), ("0", None), ("8,1000", None),
])
def test_numbers_read_as_traders_write_them(word: str, value: float | None) -> None:
    assert parse_number(word) == value


def test_commands_parse_into_requests() -> None:
    assert parse_alert(["btc", "above", "81000"]) == AlertRequest("btc", "above", 81_000)
    assert parse_alert(["ETH", "below", "2.5k"]) == AlertRequest("eth", "below", 2_500)
    assert parse_alert(["sol", "5%"]) == AlertRequest("sol", "move", 5.0)
    assert parse_alert(["btc", "81k"]) == AlertRequest("btc", "near", 81_000)
    assert parse_alert(["btc", "below", "70k", "for", "24h"]) == AlertRequest(
        "btc", "below", 70_000, timedelta(hours=24))
    assert parse_alert(["btc", "81k", "3d"]).expires_in == timedelta(days=3)


@pytest.mark.parametrize(("words", "reason"), [
    ([], "empty"), (["btc"], "level"), (["btc", "above"], "level"),
    (["btc", "lots"], "price"), (["btc", "150%"], "pct"), (["btc", "above", "5%"], "pct"),
    (["btc", "81k", "400d"], "expiry"), (["btc", "1", "2"], "level"),
])
def test_bad_commands_say_what_is_wrong(words: list[str], reason: str) -> None:
    with pytest.raises(BadArgumentError) as caught:
        parse_alert(words)
    assert caught.value.reason == reason


def test_a_bare_level_takes_its_side_from_the_current_price() -> None:
    up = make_rule(AlertRequest("btc", "near", 81_000), 76_000, NOW)
    down = make_rule(AlertRequest("btc", "near", 70_000), 76_000, NOW)
    assert (up.kind, up.inferred, down.kind) == ("above", True, "below")
    with pytest.raises(AlreadyThereError):
        make_rule(AlertRequest("btc", "above", 70_000), 76_000, NOW)
    move = make_rule(AlertRequest("sol", "move", 5.0, timedelta(hours=2)), 100.0, NOW)
    assert move.upper == pytest.approx(105.0) and move.lower == pytest.approx(95.0)
    assert move.expires_at == NOW + timedelta(hours=2)





def test_one_shot_alert_fires_once_while_the_price_wobbles() -> None:
    rule = AlertRule("above", 100.0)
    armed, fired = True, 0
    for price in (99.0, 100.5, 99.8, 100.2, 99.9, 101.0):
        verdict = evaluate(rule, armed, observe(price, NOW, None))
        if verdict.outcome == "fired":
            fired, armed = fired + 1, False
    assert fired == 1


def test_rearming_alert_fires_again_only_after_moving_back_by_the_margin() -> None:
    rule = AlertRule("below", 100.0, rearm_pct=2.0)
    armed, outcomes = True, []
    for price in (101.0, 99.5, 100.5, 99.0, 101.5, 102.5, 99.9):
        verdict = evaluate(rule, armed, observe(price, NOW, None))
        outcomes.append(verdict.outcome)
        armed = {"fired": False, "rearmed": True}.get(verdict.outcome, armed)
    assert outcomes == ["quiet", "fired", "quiet", "quiet", "quiet", "rearmed", "fired"]


def _bars(start: datetime, highs: list[float], lows: list[float]) -> CandleSeries:
    times = [ms_from_utc(start + timedelta(hours=i)) for i in range(len(highs))]
    return CandleSeries.from_arrays("1h", times, lows, highs, lows, lows, [1.0] * len(highs))


def test_a_wick_since_the_last_check_counts_and_an_older_one_does_not() -> None:
    bars = _bars(NOW - timedelta(hours=3), [99, 104, 99], [98, 97, 98])
    rule = AlertRule("above", 103.0)
    since_before_wick = observe(99.0, NOW, NOW - timedelta(hours=2), bars)
    since_after_wick = observe(99.0, NOW, NOW - timedelta(hours=1), bars)
    assert evaluate(rule, True, since_before_wick).outcome == "fired"
    assert evaluate(rule, True, since_before_wick).level == 103.0
    assert evaluate(rule, True, since_after_wick).outcome == "quiet"


def test_expired_alerts_expire_instead_of_firing() -> None:
    rule = AlertRule("above", 100.0, expires_at=NOW)
    assert evaluate(rule, True, observe(120.0, NOW, None)).outcome == "expired"
    assert evaluate(rule, True, observe(120.0, NOW - timedelta(seconds=1), None)).outcome \
        == "fired"


def test_a_move_alert_fires_on_the_side_that_was_reached() -> None:
    rule = AlertRule("move", 100.0, pct=5.0)
    down = evaluate(rule, True, observe(94.0, NOW, None))
    assert (down.outcome, down.side, down.level) == ("fired", "down", pytest.approx(95.0))
    assert evaluate(rule, True, observe(103.0, NOW, None)).outcome == "quiet"
