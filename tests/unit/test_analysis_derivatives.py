"""Derivatives aggregation: OI-weighted long/short, coverage, missing venues, divergences."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.analysis.derivatives import analyse_derivatives
from bot.errors import MissingReason
from bot.market.models import MarketSnapshot, Missing, VenueDerivatives
from tests.unit.analysis_data import at

NOW = at("2026-02-04T12:00:00Z")


def venue(name: str, **values: Any) -> VenueDerivatives:
    return replace(VenueDerivatives(venue=name, market_symbol="BTC/USDT:USDT", timestamp=NOW),
                   **values)


def snapshot(*venues: VenueDerivatives, missing: tuple[Missing, ...] = ()) -> MarketSnapshot:
    return MarketSnapshot(
        symbol="BTC", as_of=NOW, source="replay", candles={}, derivatives=venues,
        missing=missing, venues_requested=("binanceusdm", "okx", "bybit", "hyperliquid"),
    )


SEED_LIKE = snapshot(
    venue("binanceusdm", open_interest_usd=10e9, open_interest_usd_24h_ago=11e9,
          volume_24h_usd=40e9, volume_prev_24h_usd=25e9, long_short_ratio=2.0,
          funding_rate_8h=0.0001),
    venue("okx", open_interest_usd=5e9, open_interest_usd_24h_ago=5e9,
          volume_24h_usd=20e9, volume_prev_24h_usd=15e9, long_short_ratio=2.0,
          funding_rate_8h=0.00005),
    venue("bybit", open_interest_usd=25e9, open_interest_usd_24h_ago=26e9,
          volume_24h_usd=48e9, volume_prev_24h_usd=32e9, long_short_ratio=0.6,
          funding_rate_8h=-0.0002),
    missing=(Missing("hyperliquid", "*", MissingReason.TIMEOUT),),
)


def test_overall_long_short_weights_long_shares_by_open_interest() -> None:
    got = analyse_derivatives(SEED_LIKE).long_short_ratio
    # Long shares: 2/3 (10B), 2/3 (5B), 0.375 (25B) → 0.484375 → ratio 0.9394.
    share = (2 / 3 * 10 + 2 / 3 * 5 + 0.375 * 25) / 40
    assert got.value == pytest.approx(share / (1 - share))
    assert round(got.value or 0, 3) == 0.939
    assert got.venues == ("binanceusdm", "okx", "bybit")
    # Averaging the ratios directly would have said 1.53: longs in control — wrong.
    assert (2.0 + 2.0 + 0.6) / 3 > 1.5


def test_totals_and_changes_name_the_venues_they_cover() -> None:
    d = analyse_derivatives(SEED_LIKE)
    assert d.open_interest_usd.value == pytest.approx(40e9)
    assert d.open_interest_change_24h_pct.value == pytest.approx((40 / 42 - 1) * 100)
    assert d.volume_24h_usd.value == pytest.approx(108e9)
    assert d.volume_change_pct.value == pytest.approx((108 / 72 - 1) * 100)  # +50 %
    assert d.funding_rate_8h_mean.value == pytest.approx(-0.0000166667, rel=1e-4)
    assert d.funding_rate_8h_spread.value == pytest.approx(0.0003)
    assert d.open_interest_usd.venues == ("binanceusdm", "okx", "bybit")
    assert [(m.venue, m.metric, m.reason) for m in d.missing] == [
        ("hyperliquid", "*", MissingReason.TIMEOUT)
    ]


def test_divergences_flag_split_positioning_and_volume_surging_while_oi_falls() -> None:
    kinds = {dv.kind: dv for dv in analyse_derivatives(SEED_LIKE).divergences}
    assert set(kinds) == {"long_short_spread", "funding_spread", "volume_vs_open_interest"}
    ls = kinds["long_short_spread"]
    assert (ls.high_venue, ls.high_value, ls.low_venue, ls.low_value) == (
        "binanceusdm", 2.0, "bybit", 0.6)
    assert kinds["funding_spread"].low_venue == "bybit"


def test_a_requested_venue_with_no_data_and_no_reason_is_still_listed_missing() -> None:
    d = analyse_derivatives(snapshot(venue("okx", long_short_ratio=1.2)))
    assert {m.venue for m in d.missing} == {"binanceusdm", "bybit", "hyperliquid"}
    # Without open interest anywhere the ratio falls back to equal weights.
    assert d.long_short_ratio.value == pytest.approx(1.2)
    assert d.open_interest_usd.value is None and d.open_interest_usd.venues == ()


def test_no_venues_at_all_gives_empty_aggregates() -> None:
    d = analyse_derivatives(snapshot())
    assert d.venues == () and d.long_short_ratio.value is None
    assert d.funding_rate_8h_mean.value is None and d.divergences == ()
