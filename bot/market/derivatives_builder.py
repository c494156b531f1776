"""One venue's ``VenueDerivatives`` from its cached metric readings, in USD.

OI and volume: amount × contractSize × price; funding normalised to 8 hours;
a metric that failed becomes a ``Missing`` entry; a stale value keeps its age in
``stale_seconds``. Without an OI-history endpoint the bot's own ring is used.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.errors import MissingReason, VenueError, VenueNotSupportedError, VenueSymbolError
from bot.market import venue_derivatives as vd
from bot.market.cache import Cached, TtlCache
from bot.market.deadline import Deadline
from bot.market.gather import Fetch, Outcome, gather_metrics
from bot.market.models import Missing, VenueDerivatives, ms_from_utc
from bot.market.oi_ring import OiRings
from bot.market.units import contracts_to_usd, funding_to_8h
from bot.market.venues import VenueClient

# fetch name → the VenueDerivatives field it feeds (used for Missing and stale labels)
FIELDS = {
    "open_interest": "open_interest_usd",
    "open_interest_24h_ago": "open_interest_usd_24h_ago",
    "ticker": "volume_24h_usd",
    "candles_1h": "volume_prev_24h_usd",
    "long_short": "long_short_ratio",
    "top_trader": "top_trader_long_short_ratio",
    "funding": "funding_rate",
}


@dataclass(frozen=True, slots=True)
class DerivativesResult:
    """A venue's derivatives (``None`` when nothing came back) and its missing metrics."""

    derivatives: VenueDerivatives | None
    missing: tuple[Missing, ...]


def _jobs(client: VenueClient, symbol: str, ttl: float, now_ms: int) -> dict[str, Any]:
    fetches: dict[str, Fetch] = {
        "open_interest": lambda: vd.open_interest(client, symbol),
        "ticker": lambda: vd.perp_ticker(client, symbol),
        "candles_1h": lambda: vd.hourly_candles(client, symbol, now_ms),
        "long_short": lambda: vd.long_short_ratio(client, symbol),
        "top_trader": lambda: vd.top_trader_ratio(client, symbol),
        "funding": lambda: vd.funding(client, symbol),
    }
    if client.profile.bulk_context:
        for name in ("open_interest", "ticker", "funding"):
            del fetches[name]
        fetches["asset_context"] = lambda: vd.asset_context(client, symbol)
    if client.has("fetchOpenInterestHistory"):
        fetches["open_interest_24h_ago"] = lambda: vd.open_interest_24h_ago(
            client, symbol, now_ms
        )
    return {name: ((client.venue, name, symbol), ttl, fn) for name, fn in fetches.items()}


async def build_derivatives(
    client: VenueClient,
    symbol: str,
    cache: TtlCache,
    rings: OiRings,
    ttl: float,
    deadline: Deadline,
    now: datetime,
) -> DerivativesResult:
    """Fetch every metric of ``symbol`` at ``client``'s venue and convert to USD."""
    now_ms = ms_from_utc(now)
    outcomes = await gather_metrics(
        client.venue, cache, _jobs(client, symbol, ttl, now_ms), deadline
    )
    outcomes = _expand_asset_context(outcomes)
    errors = {k: v for k, v in outcomes.items() if isinstance(v, VenueError)}
    values = {k: v for k, v in outcomes.items() if isinstance(v, Cached)}
    result = _assemble(client, symbol, values, errors, rings, now, now_ms) if values else None
    if result is None or (result.derivatives is not None and not _has_values(result.derivatives)):
        return DerivativesResult(None, (_whole_venue(client.venue, errors),))
    return result


def _has_values(d: VenueDerivatives) -> bool:
    return any(getattr(d, name) is not None for name in FIELDS.values())


def _whole_venue(venue: str, errors: dict[str, VenueError]) -> Missing:
    """One ``*`` entry for a venue that gave nothing, naming its most telling error."""
    ranked = sorted(errors.values(), key=lambda e: isinstance(e, VenueNotSupportedError))
    first = ranked[0] if ranked else VenueNotSupportedError(venue, "no metrics offered")
    return Missing(venue, "*", first.reason, first.temporary)


def _expand_asset_context(outcomes: dict[str, Outcome]) -> dict[str, Outcome]:
    """Split one asset-context outcome into the OI, ticker and funding outcomes."""
    ctx = outcomes.pop("asset_context", None)
    if ctx is None:
        return outcomes
    for name in ("open_interest", "ticker", "funding"):
        if isinstance(ctx, VenueError):
            outcomes[name] = ctx
        else:
            outcomes[name] = dataclasses.replace(ctx, value=getattr(ctx.value, name))
    return outcomes


def _assemble(
    client: VenueClient,
    symbol: str,
    values: dict[str, Cached[Any]],
    errors: dict[str, VenueError],
    rings: OiRings,
    now: datetime,
    now_ms: int,
) -> DerivativesResult:
    venue = client.venue
    missing = [Missing(venue, FIELDS[k], e.reason, e.temporary) for k, e in errors.items()]
    got = {k: c.value for k, c in values.items()}
    stale = {FIELDS[k]: round(c.age_seconds, 1) for k, c in values.items() if c.stale}
    try:
        size = client.contract_size(symbol)
    except VenueSymbolError as e:
        return DerivativesResult(None, (Missing(venue, "*", e.reason, False),))
    ticker: vd.PerpTicker | None = got.get("ticker")
    fund: vd.FundingReading | None = got.get("funding")
    candles: list[list[float]] = got.get("candles_1h") or []
    price = _price(ticker, fund)
    oi_now = _oi_usd(got.get("open_interest"), size, price)
    oi_ago = _oi_24h_ago(got.get("open_interest_24h_ago"), size, candles, price)
    ring = rings.ring(venue, symbol)
    if oi_now is not None and "open_interest_usd" not in stale:
        ring.record(now_ms, oi_now)
    if oi_ago is None and not client.has("fetchOpenInterestHistory"):
        oi_ago = ring.value_near(now_ms - vd.DAY_MS, vd.HOUR_MS)
        if oi_ago is None:
            missing.append(
                Missing(venue, "open_interest_usd_24h_ago", MissingReason.NO_HISTORY_YET)
            )
    volume_prev = _volume_prev_24h(candles, now_ms)
    if volume_prev is None and "candles_1h" not in errors:
        missing.append(Missing(venue, "volume_prev_24h_usd", MissingReason.TOO_FEW_CANDLES))
    return DerivativesResult(
        VenueDerivatives(
            venue=venue,
            market_symbol=symbol,
            timestamp=now,
            open_interest_usd=oi_now,
            open_interest_usd_24h_ago=oi_ago,
            volume_24h_usd=_volume_24h(ticker, size),
            volume_prev_24h_usd=volume_prev,
            long_short_ratio=got.get("long_short"),
            top_trader_long_short_ratio=got.get("top_trader"),
            funding_rate=fund.rate if fund else None,
            funding_interval_hours=fund.interval_hours if fund else None,
            funding_rate_8h=funding_to_8h(fund.rate, fund.interval_hours) if fund else None,
            mark_price=price,
            stale_seconds=stale,
        ),
        tuple(missing),
    )


def _price(ticker: vd.PerpTicker | None, fund: vd.FundingReading | None) -> float | None:
    if fund is not None and fund.mark_price:
        return fund.mark_price
    if ticker is not None:
        return ticker.mark_price or ticker.last
    return None


def _oi_usd(reading: vd.OiReading | None, size: float, price: float | None) -> float | None:
    if reading is None:
        return None
    if reading.amount is not None and price is not None:
        return contracts_to_usd(reading.amount, size, price)
    return reading.value_usd


def _oi_24h_ago(
    reading: vd.OiReading | None, size: float, candles: list[list[float]], price: float | None
) -> float | None:
    if reading is None:
        return None
    then_price = _close_at(candles, reading.timestamp_ms) if reading.timestamp_ms else None
    if reading.amount is not None and then_price is not None:
        return contracts_to_usd(reading.amount, size, then_price)
    if reading.value_usd is not None:
        return reading.value_usd
    if reading.amount is not None and price is not None:
        return contracts_to_usd(reading.amount, size, price)
    return None


def _close_at(candles: list[list[float]], ms: int) -> float | None:
    """Close of the 1h bar containing ``ms``."""
    for bar in candles:
        if bar[0] <= ms < bar[0] + vd.HOUR_MS:
            return bar[4]
    return None


def _volume_24h(ticker: vd.PerpTicker | None, size: float) -> float | None:
    if ticker is None:
        return None
    if ticker.quote_volume is not None:
        return ticker.quote_volume
    if ticker.base_volume is not None:
        return contracts_to_usd(ticker.base_volume, size, ticker.last)
    return None


def _volume_prev_24h(candles: list[list[float]], now_ms: int) -> float | None:
    """USD volume of the 24 hourly bars before the last 24 hours (candle volume in coins)."""
    hour = (now_ms // vd.HOUR_MS) * vd.HOUR_MS
    start, end = hour - 48 * vd.HOUR_MS, hour - 24 * vd.HOUR_MS
    window = [bar for bar in candles if start <= bar[0] < end]
    if len(window) < 20:
        return None
    return sum(bar[5] * bar[4] for bar in window)
