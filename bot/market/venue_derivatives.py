"""Per-metric fetches of a perpetual's derivatives data from one venue (one upstream call each).

Each function returns a small reading of parsed, validated numbers in the
venue's own units; ``derivatives_builder`` turns readings into USD.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.errors import VenueNotSupportedError
from bot.market.ccxt_errors import bad_response, optional_number, require_number
from bot.market.models import TIMEFRAME_MS
from bot.market.units import interval_hours
from bot.market.venues import VenueClient

HOUR_MS = TIMEFRAME_MS["1h"]
DAY_MS = TIMEFRAME_MS["1d"]


@dataclass(frozen=True, slots=True)
class OiReading:
    """Open interest in contracts (``amount``) and the venue's own USD value if given."""

    amount: float | None
    value_usd: float | None
    timestamp_ms: int | None


@dataclass(frozen=True, slots=True)
class PerpTicker:
    """24h figures of the perpetual: base volume in contracts, quote volume in USD."""

    last: float
    base_volume: float | None
    quote_volume: float | None
    mark_price: float | None


@dataclass(frozen=True, slots=True)
class FundingReading:
    """Current funding with its native interval."""

    rate: float
    interval_hours: float
    mark_price: float | None


def _oi_reading(venue: str, raw: Any) -> OiReading:
    if not isinstance(raw, dict):
        raise bad_response(venue, "open interest missing")
    amount = optional_number(raw.get("openInterestAmount"))
    value = optional_number(raw.get("openInterestValue"))
    if amount is None and value is None:
        raise bad_response(venue, "open interest missing")
    ts = raw.get("timestamp")
    return OiReading(amount, value, int(ts) if isinstance(ts, int | float) else None)


async def open_interest(client: VenueClient, symbol: str) -> OiReading:
    """Open interest now."""
    client.require("fetchOpenInterest")
    raw = await client.call(lambda: client.exchange.fetch_open_interest(symbol))
    return _oi_reading(client.venue, raw)


async def open_interest_24h_ago(client: VenueClient, symbol: str, now_ms: int) -> OiReading:
    """The hourly open-interest point closest to 24 hours before ``now_ms``."""
    client.require("fetchOpenInterestHistory")
    since = now_ms - DAY_MS - 2 * HOUR_MS
    rows = await client.call(
        lambda: client.exchange.fetch_open_interest_history(symbol, "1h", since, 30)
    )
    readings = [_oi_reading(client.venue, r) for r in rows or []]
    dated = [r for r in readings if r.timestamp_ms is not None]
    if not dated:
        raise bad_response(client.venue, "open interest history is empty")
    target = now_ms - DAY_MS
    best = min(dated, key=lambda r: abs((r.timestamp_ms or 0) - target))
    if abs((best.timestamp_ms or 0) - target) > 2 * HOUR_MS:
        raise bad_response(client.venue, "no open interest point near 24h ago")
    return best


async def perp_ticker(client: VenueClient, symbol: str) -> PerpTicker:
    """The perpetual's ticker."""
    client.require("fetchTicker")
    raw = await client.call(lambda: client.exchange.fetch_ticker(symbol))
    if not isinstance(raw, dict):
        raise bad_response(client.venue, "ticker missing")
    last = require_number(client.venue, "ticker last", raw.get("last"), positive=True)
    return PerpTicker(
        last,
        optional_number(raw.get("baseVolume")),
        optional_number(raw.get("quoteVolume")),
        optional_number(raw.get("markPrice")),
    )


async def hourly_candles(client: VenueClient, symbol: str, now_ms: int) -> list[list[float]]:
    """The perpetual's 1h candles of the last 49 hours ``[ms, o, h, l, c, v(coins)]``."""
    client.require("fetchOHLCV")
    since = (now_ms // HOUR_MS) * HOUR_MS - 48 * HOUR_MS
    rows = await client.call(lambda: client.exchange.fetch_ohlcv(symbol, "1h", since, 49))
    if not rows:
        raise bad_response(client.venue, "no hourly candles")
    venue = client.venue
    return [
        [require_number(venue, "candle time", row[0])]
        + [require_number(venue, "candle value", v) for v in row[1:6]]
        for row in rows
    ]


def _last_ratio(venue: str, rows: Any, key: str) -> float:
    points = [r for r in rows or [] if isinstance(r, dict) and r.get(key) is not None]
    if not points:
        raise bad_response(venue, "long/short ratio missing")
    newest = max(points, key=lambda r: optional_number(r.get("timestamp")) or 0)
    return require_number(venue, "long/short ratio", newest.get(key), positive=True)


async def long_short_ratio(client: VenueClient, symbol: str) -> float:
    """The newest account long/short ratio of the short (5m) period."""
    client.require("fetchLongShortRatioHistory")
    rows = await client.call(
        lambda: client.exchange.fetch_long_short_ratio_history(
            symbol, client.profile.ratio_period
        )
    )
    return _last_ratio(client.venue, rows, "longShortRatio")


async def top_trader_ratio(client: VenueClient, symbol: str) -> float:
    """The newest top-trader long/short position ratio (raw venue endpoint)."""
    method = client.profile.top_trader_method
    if method is None:
        raise VenueNotSupportedError(client.venue, "top-trader ratio not offered")
    await client.load_markets()
    market = client.market(symbol)
    if client.venue == "okx":
        params = {"instId": market["id"], "period": client.profile.ratio_period}
    else:
        params = {"symbol": market["id"], "period": client.profile.ratio_period, "limit": 1}
    raw = await client.call(lambda: getattr(client.exchange, method)(params))
    rows = raw.get("data") if isinstance(raw, dict) else raw
    points = [
        {"timestamp": r[0], "ratio": r[1]} if isinstance(r, list) else
        {"timestamp": r.get("timestamp"), "ratio": r.get("longShortRatio")}
        for r in rows or []
    ]
    return _last_ratio(client.venue, points, "ratio")


async def funding(client: VenueClient, symbol: str) -> FundingReading:
    """Current funding rate with its interval (venue default when ccxt gives none)."""
    client.require("fetchFundingRate")
    raw = await client.call(lambda: client.exchange.fetch_funding_rate(symbol))
    reading = _funding_reading(client, raw)
    if client.profile.interval_lookup and not raw.get("interval"):
        hours = await client.funding_hours(symbol)
        reading = FundingReading(reading.rate, hours, reading.mark_price)
    return reading


def _funding_reading(client: VenueClient, raw: Any) -> FundingReading:
    if not isinstance(raw, dict):
        raise bad_response(client.venue, "funding missing")
    rate = require_number(client.venue, "funding rate", raw.get("fundingRate"))
    hours = interval_hours(raw.get("interval"), client.profile.funding_hours)
    return FundingReading(rate, hours, optional_number(raw.get("markPrice")))


@dataclass(frozen=True, slots=True)
class AssetContext:
    """Open interest, ticker and funding read from one answer (hyperliquid's asset contexts)."""

    open_interest: OiReading
    ticker: PerpTicker
    funding: FundingReading


async def asset_context(client: VenueClient, symbol: str) -> AssetContext:
    """One ``fetch_funding_rate`` call whose raw context also carries OI (coins) and 24h volume.

    Hyperliquid serves OI, ticker and funding from the same ``metaAndAssetCtxs``
    answer; asking once instead of three times spares its rate limit.
    """
    client.require("fetchFundingRate")
    raw = await client.call(lambda: client.exchange.fetch_funding_rate(symbol))
    reading = _funding_reading(client, raw)
    info = raw.get("info")
    if not isinstance(info, dict):
        raise bad_response(client.venue, "asset context missing")
    mark = require_number(client.venue, "mark price", info.get("markPx"), positive=True)
    oi = require_number(client.venue, "open interest", info.get("openInterest"))
    return AssetContext(
        OiReading(oi, None, None),
        PerpTicker(mark, optional_number(info.get("dayBaseVlm")),
                   optional_number(info.get("dayNtlVlm")), mark),
        reading,
    )
