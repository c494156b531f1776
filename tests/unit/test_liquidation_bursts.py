"""Liquidation bursts: per-coin per-minute sums over the window, once per burst, worded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.alerts.liquidations import Burst, BurstDetector
from bot.commentary.render import render_template
from bot.market.liquidations import Liquidation, Side

T0 = datetime(2026, 2, 5, 14, 30, 5, tzinfo=UTC)
THRESHOLDS = {"BTC": 25_000_000.0, "ETH": 15_000_000.0}


def _detector() -> BurstDetector:
    return BurstDetector(3, lambda coin: THRESHOLDS.get(coin, 10_000_000.0), 10)


def _liq(coin: str, side: Side, usd: float, price: float, seconds: float,
         venue: str = "binanceusdm") -> Liquidation:
    return Liquidation(venue, coin, side, usd, price, T0 + timedelta(seconds=seconds))


def _cascade(start: float = 0.0) -> list[Liquidation]:
    """$28M of BTC longs over ~2.5 minutes on three venues while the fills fall $740."""
    return [_liq("BTC", "long", 8e6, 97_120.0, start, "binanceusdm"),
            _liq("BTC", "short", 1.5e6, 97_000.0, start + 40, "okx"),
            _liq("BTC", "long", 9e6, 96_800.0, start + 70, "bybit"),
            _liq("BTC", "long", 11e6, 96_380.0, start + 150, "okx")]


def _feed(detector: BurstDetector, liqs: list[Liquidation]) -> list[Burst]:
    found: list[Burst] = []
    for liq in liqs:
        found += detector.add([liq])
    return found


def test_a_cascade_past_the_coins_threshold_is_one_burst_with_its_sums_and_move() -> None:
    [burst] = _feed(_detector(), _cascade())
    assert (burst.coin, burst.side, burst.notional_usd, burst.other_usd) == (
        "BTC", "long", 28e6, 1.5e6)
    assert (burst.minutes, burst.count, burst.venues) == (3, 4, ("binanceusdm", "bybit", "okx"))
    assert burst.price_change == -740.0
    assert burst.at == T0 + timedelta(seconds=150)


def test_below_the_threshold_or_spread_beyond_the_window_is_no_burst() -> None:
    detector = _detector()
    assert _feed(detector, [_liq("BTC", "long", 20e6, 97_000.0, 0)]) == []
    # $20M now, $10M four minutes later: never $25M within three minutes
    assert _feed(detector, [_liq("BTC", "long", 10e6, 96_000.0, 240)]) == []
    # ETH has its own (lower) threshold
    assert [b.coin for b in _feed(detector, [_liq("ETH", "short", 16e6, 2_500.0, 250)])] == [
        "ETH"]


def test_a_continuing_burst_is_not_repeated_and_a_new_one_needs_a_quiet_gap() -> None:
    detector = _detector()
    first = _feed(detector, _cascade())
    more = _feed(detector, [_liq("BTC", "long", 30e6, 96_000.0, 200 + 60 * i)
                            for i in range(5)])
    # hot until 440 s; a cascade hot again at 890 s is within the ten-minute gap (and
    # extends the burst); one hot at 1,550 s comes after ten quiet minutes
    too_soon = _feed(detector, _cascade(740))
    after_gap = _feed(detector, _cascade(1_400))
    assert (len(first), more, too_soon, len(after_gap)) == (1, [], [], 1)


def test_coins_are_summed_apart() -> None:
    detector = _detector()
    bursts = detector.add([_liq("BTC", "long", 20e6, 97_000.0, 0),
                           _liq("SOL", "long", 6e6, 80.0, 1),
                           _liq("SOL", "long", 6e6, 79.0, 2)])
    assert [(b.coin, b.notional_usd) for b in bursts] == [("SOL", 12e6)]


def _worded(burst: Burst, missing: list[str] | None = None) -> str:
    return render_template("alerts/liquidation_burst.j2", "text", burst=burst,
                           missing=missing or [])


def test_a_burst_reads_in_the_articles_voice() -> None:
    [burst] = _feed(_detector(), _cascade())
    text = _worded(burst)
    assert text.startswith("💥 $28M of BTC longs liquidated in 3 minutes as BTC fell $740 "
                           "to $96,380. Shorts liquidated alongside: $1.5M.")
    assert "Binance, Bybit and OKX · 4 liquidations · 14:32 UTC" in text
    assert "price move from the liquidation fills" in text
    assert "not counted" not in text


def test_a_short_squeeze_and_a_venue_that_was_down_are_said() -> None:
    [burst] = _feed(_detector(), [_liq("ETH", "short", 10e6, 2_480.0, 0, "bybit"),
                                  _liq("ETH", "short", 7e6, 2_512.5, 20, "bybit")])
    text = _worded(burst, ["okx"])
    assert text.startswith("💥 $17M of ETH shorts liquidated in 1 minute as ETH rose $33 "
                           "to $2,513.")
    assert "OKX was not streaming, so its liquidations are not counted." in text
