"""A snapshot's ``Coverage``: missing venues, stale values with ages, the price's basis."""

from __future__ import annotations

from bot.market.models import TIMEFRAMES, Coverage, MarketSnapshot, Missing, StaleValue

#: Metrics whose absence at the spot venue means "no price from spot".
SPOT_PRICE_METRICS = ("ticker", "*")


def coverage_of(snapshot: MarketSnapshot) -> Coverage:
    """What ``snapshot`` lacks, in codes (``templates/`` word them)."""
    spot = snapshot.spot_venue
    spot_misses = [m for m in snapshot.missing if m.venue == spot]
    spot_missing = next((m for m in spot_misses if m.metric in SPOT_PRICE_METRICS), None)
    if snapshot.price_basis == "spot" and snapshot.ticker is not None:
        spot_missing = None
    no_history = not any(len(snapshot.series(tf)) for tf in TIMEFRAMES)
    history_missing = next((m for m in spot_misses if m.metric.startswith("candles_")), None)
    whole = [m for m in snapshot.missing if m.metric == "*" and m.venue != spot]
    if spot_missing is not None:
        whole.insert(0, Missing(spot, "*", spot_missing.reason, spot_missing.temporary))
    stale = [StaleValue(spot, metric, age) for metric, age in snapshot.stale_seconds.items()]
    for d in snapshot.derivatives:
        stale.extend(StaleValue(d.venue, metric, age) for metric, age in d.stale_seconds.items())
    return Coverage(
        price_basis=snapshot.price_basis,
        price_venues=snapshot.price_venues,
        spot_venue=spot,
        spot_missing=spot_missing,
        no_history=no_history and snapshot.last_price is not None,
        history_missing=history_missing if no_history else None,
        missing_venues=tuple(_unique(whole)),
        stale=tuple(sorted(stale, key=lambda s: (-s.age_seconds, s.venue, s.metric))),
    )


def _unique(entries: list[Missing]) -> list[Missing]:
    seen: set[str] = set()
    out = []
    for m in entries:
        if m.venue not in seen:
            seen.add(m.venue)
            out.append(m)
    return out
