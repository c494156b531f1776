"""Derivatives per venue and aggregated; every aggregate names the venues it covers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import timedelta

from bot.analysis.model import Aggregate, Derivatives, Divergence, VenueMissing, VenueRow
from bot.errors import MissingReason
from bot.market.models import MarketSnapshot, VenueDerivatives

#: Long/short ratios diverge when one venue is above 1, another below, and max/min ≥ this.
LS_DIVERGENCE_FACTOR = 1.5
#: Funding (8h) diverges when venues differ in sign or by at least this (0.03 % per 8h).
FUNDING_SPREAD_FLAG = 0.0003
#: "Volume surging while open interest falls": volume change ≥ this percent with OI down.
VOLUME_SURGE_PCT = 25.0

#: Metrics whose absence the derivatives section reports ("*" = the whole venue).
DERIVATIVE_METRICS = frozenset(
    {"*", *(f.name for f in fields(VenueDerivatives) if f.name not in ("venue", "market_symbol",
                                                                        "timestamp"))}
)

Getter = Callable[[VenueDerivatives], float | None]


def pct_change(now: float | None, before: float | None) -> float | None:
    """Percent change, None when either side is missing or the base is not positive."""
    if now is None or before is None or before <= 0:
        return None
    return (now - before) / before * 100.0


def long_share(ratio: float | None) -> float | None:
    """Fraction of accounts long for a long/short ratio r: r / (1 + r)."""
    if ratio is None or ratio < 0:
        return None
    return ratio / (1.0 + ratio)


def venue_row(v: VenueDerivatives) -> VenueRow:
    """One venue's row with its changes and long share."""
    return VenueRow(
        venue=v.venue,
        open_interest_usd=v.open_interest_usd,
        open_interest_change_24h_pct=pct_change(v.open_interest_usd, v.open_interest_usd_24h_ago),
        volume_24h_usd=v.volume_24h_usd,
        volume_change_pct=pct_change(v.volume_24h_usd, v.volume_prev_24h_usd),
        long_short_ratio=v.long_short_ratio,
        long_share=long_share(v.long_short_ratio),
        funding_rate_8h=v.funding_rate_8h,
        funding_interval_hours=v.funding_interval_hours,
        stale_metrics=tuple(sorted(v.stale_seconds)),
        as_of=v.timestamp - timedelta(seconds=max(v.stale_seconds.values(), default=0.0)),
    )


def _sum(rows: list[VenueDerivatives], get: Getter) -> Aggregate:
    have = [(r.venue, get(r)) for r in rows if get(r) is not None]
    if not have:
        return Aggregate()
    return Aggregate(value=sum(v for _, v in have if v is not None),
                     venues=tuple(n for n, _ in have))


def _sum_change(rows: list[VenueDerivatives], now: Getter, before: Getter) -> Aggregate:
    both = [r for r in rows if now(r) is not None and (before(r) or 0) > 0]
    if not both:
        return Aggregate()
    total_now = sum(now(r) or 0.0 for r in both)
    total_before = sum(before(r) or 0.0 for r in both)
    return Aggregate(value=pct_change(total_now, total_before), venues=tuple(r.venue for r in both))


def overall_long_short(rows: list[VenueDerivatives]) -> Aggregate:
    """OI-weighted long share r/(1+r) converted back to a ratio s/(1−s).

    Venues with a ratio and open interest are weighted by OI; when none has open
    interest, the venues with a ratio are weighted equally.
    """
    with_ratio = [r for r in rows if r.long_short_ratio is not None and r.long_short_ratio >= 0]
    weighted = [(r, r.open_interest_usd) for r in with_ratio if (r.open_interest_usd or 0) > 0]
    pairs = weighted or [(r, 1.0) for r in with_ratio]
    if not pairs:
        return Aggregate()
    total = sum(w or 0.0 for _, w in pairs)
    share = sum((long_share(r.long_short_ratio) or 0.0) * (w or 0.0) for r, w in pairs) / total
    if share >= 1.0:
        return Aggregate()
    return Aggregate(value=share / (1.0 - share), venues=tuple(r.venue for r, _ in pairs))


def divergences(rows: list[VenueRow], oi_change: float | None,
                volume_change: float | None) -> tuple[Divergence, ...]:
    """Flags: long/short split across 1, funding apart, volume surging while OI falls."""
    out: list[Divergence] = []
    ls = [(r.venue, r.long_short_ratio) for r in rows if r.long_short_ratio]
    if len(ls) >= 2:
        hi, lo = max(ls, key=lambda x: x[1] or 0.0), min(ls, key=lambda x: x[1] or 0.0)
        hv, lv = hi[1] or 0.0, lo[1] or 0.0
        if hv > 1.0 > lv and hv >= LS_DIVERGENCE_FACTOR * lv:
            out.append(Divergence("long_short_spread", hi[0], hv, lo[0], lv))
    fr = [(r.venue, r.funding_rate_8h) for r in rows if r.funding_rate_8h is not None]
    if len(fr) >= 2:
        hi, lo = max(fr, key=lambda x: x[1] or 0.0), min(fr, key=lambda x: x[1] or 0.0)
        hv, lv = hi[1] or 0.0, lo[1] or 0.0
        if (hv > 0 > lv) or hv - lv >= FUNDING_SPREAD_FLAG:
            out.append(Divergence("funding_spread", hi[0], hv, lo[0], lv))
    if (volume_change is not None and oi_change is not None
            and volume_change >= VOLUME_SURGE_PCT and oi_change < 0):
        out.append(Divergence("volume_vs_open_interest", None, volume_change, None, oi_change))
    return tuple(out)


def _missing(snapshot: MarketSnapshot) -> tuple[VenueMissing, ...]:
    found = {d.venue for d in snapshot.derivatives}
    listed = [VenueMissing(m.venue, m.metric, m.reason) for m in snapshot.missing
              if m.metric in DERIVATIVE_METRICS]
    named = {m.venue for m in listed}
    for venue in snapshot.venues_requested:
        if venue not in found and venue not in named:
            listed.append(VenueMissing(venue, "*", MissingReason.NO_DATA))
    return tuple(listed)


def analyse_derivatives(snapshot: MarketSnapshot) -> Derivatives:
    """Per-venue rows and OI-weighted aggregates of the snapshot's derivatives."""
    raw = list(snapshot.derivatives)
    rows = [venue_row(v) for v in raw]
    oi_change = _sum_change(raw, lambda r: r.open_interest_usd,
                            lambda r: r.open_interest_usd_24h_ago)
    vol_change = _sum_change(raw, lambda r: r.volume_24h_usd, lambda r: r.volume_prev_24h_usd)
    funding = [(r.venue, r.funding_rate_8h) for r in raw if r.funding_rate_8h is not None]
    values = [f for _, f in funding if f is not None]
    names = tuple(n for n, _ in funding)
    return Derivatives(
        venues=tuple(rows),
        open_interest_usd=_sum(raw, lambda r: r.open_interest_usd),
        open_interest_change_24h_pct=oi_change,
        volume_24h_usd=_sum(raw, lambda r: r.volume_24h_usd),
        volume_change_pct=vol_change,
        long_short_ratio=overall_long_short(raw),
        funding_rate_8h_mean=Aggregate(sum(values) / len(values), names)
        if values else Aggregate(),
        funding_rate_8h_spread=Aggregate(max(values) - min(values), names)
        if values else Aggregate(),
        divergences=divergences(rows, oi_change.value, vol_change.value),
        missing=_missing(snapshot),
    )
