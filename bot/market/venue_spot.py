"""Spot candles and ticker of the spot venue."""

from __future__ import annotations

from bot.market.ccxt_errors import bad_response, optional_number, require_number
from bot.market.models import TIMEFRAME_MS, CandleSeries, Ticker, utc_from_ms
from bot.market.venues import VenueClient


async def spot_candles(
    client: VenueClient, symbol: str, timeframe: str, bars: int, now_ms: int
) -> CandleSeries:
    """The last ``bars`` candles of ``timeframe``; the newest may be forming at ``now_ms``."""
    client.require("fetchOHLCV")
    rows = await client.call(lambda: client.exchange.fetch_ohlcv(symbol, timeframe, None, bars))
    if not rows:
        raise bad_response(client.venue, f"no {timeframe} candles")
    venue = client.venue
    cols: list[list[float]] = [[], [], [], [], [], []]
    for row in rows:
        for i in range(6):
            cols[i].append(require_number(venue, f"{timeframe} candle field {i}", row[i]))
    interval = TIMEFRAME_MS[timeframe]
    forming = cols[0][-1] + interval > now_ms
    times, opens, highs, lows, closes, volumes = cols
    return CandleSeries.from_arrays(
        timeframe, [int(t) for t in times], opens, highs, lows, closes, volumes, forming
    )


async def spot_ticker(client: VenueClient, symbol: str, now_ms: int) -> Ticker:
    """The spot ticker with rolling 24h figures."""
    client.require("fetchTicker")
    raw = await client.call(lambda: client.exchange.fetch_ticker(symbol))
    if not isinstance(raw, dict):
        raise bad_response(client.venue, "ticker missing")
    last = require_number(client.venue, "ticker last", raw.get("last"), positive=True)
    ts = optional_number(raw.get("timestamp"))
    return Ticker(
        symbol=symbol,
        last=last,
        timestamp=utc_from_ms(ts if ts else now_ms),
        bid=optional_number(raw.get("bid")),
        ask=optional_number(raw.get("ask")),
        high_24h=optional_number(raw.get("high")),
        low_24h=optional_number(raw.get("low")),
        open_24h=optional_number(raw.get("open")),
        volume_24h_quote=optional_number(raw.get("quoteVolume")),
    )
