"""Binance spot (/api/v3) and USDⓈ-M futures (/fapi, /futures/data) in native JSON."""

from __future__ import annotations

from typing import Any

from tests.fakes.fake_market import FakeMarket, Handler, NotListed, Params, now_ms


def _coin(market: FakeMarket, symbol_id: str | None, hidden: set[str]) -> str:
    for coin in market.coins:
        if symbol_id == f"{coin}USDT" and coin not in hidden:
            return coin
    raise NotListed(symbol_id)


def _filters() -> list[dict[str, str]]:
    return [
        {"filterType": "PRICE_FILTER", "minPrice": "0.01", "maxPrice": "1000000",
         "tickSize": "0.01"},
        {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000", "stepSize": "0.00001"},
        {"filterType": "MIN_NOTIONAL", "notional": "5"},
    ]


def spot_exchange_info(market: FakeMarket, hidden: set[str], _p: Params) -> Any:
    """GET /api/v3/exchangeInfo."""
    symbols = [
        {"symbol": f"{c}USDT", "status": "TRADING", "baseAsset": c, "baseAssetPrecision": 8,
         "quoteAsset": "USDT", "quotePrecision": 8, "quoteAssetPrecision": 8,
         "orderTypes": ["LIMIT", "MARKET"], "isSpotTradingAllowed": True,
         "isMarginTradingAllowed": True, "filters": _filters(), "permissions": ["SPOT"]}
        for c in market.coins if c not in hidden
    ]
    return {"timezone": "UTC", "serverTime": now_ms(), "rateLimits": [],
            "exchangeFilters": [], "symbols": symbols}


def futures_exchange_info(market: FakeMarket, hidden: set[str], _p: Params) -> Any:
    """GET /fapi/v1/exchangeInfo."""
    symbols = [
        {"symbol": f"{c}USDT", "pair": f"{c}USDT", "contractType": "PERPETUAL",
         "deliveryDate": 4133404800000, "onboardDate": 1569398400000, "status": "TRADING",
         "baseAsset": c, "quoteAsset": "USDT", "marginAsset": "USDT", "pricePrecision": 2,
         "quantityPrecision": 3, "baseAssetPrecision": 8, "quotePrecision": 8,
         "underlyingType": "COIN", "filters": _filters(), "orderTypes": ["LIMIT", "MARKET"],
         "timeInForce": ["GTC"]}
        for c in market.coins if c not in hidden
    ]
    return {"timezone": "UTC", "serverTime": now_ms(), "rateLimits": [],
            "exchangeFilters": [], "assets": [], "symbols": symbols}


def _limit(p: Params, default: int) -> int:
    return int(p.get("limit", default))


def _px(value: float) -> str:
    """A price as Binance prints it: cents for dollar-sized coins, more digits below $10."""
    return f"{value:.2f}" if value >= 10 else f"{value:.8f}"


def spot_klines(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v3/klines."""
    coin = _coin(market, p.get("symbol"), hidden)
    rows = market.spot_bars(coin, p["interval"], _limit(p, 500))
    return [[t, _px(o), _px(h), _px(lo), _px(c), f"{v:.5f}", t + 1, "0", 10,
             "0", "0", "0"] for t, o, h, lo, c, v in rows]


def futures_klines(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /fapi/v1/klines (hourly bars of the perpetual)."""
    coin = _coin(market, p.get("symbol"), hidden)
    if p.get("interval") != "1h":
        return []
    bars = market.perp_bars(coin, "binanceusdm", _limit(p, 500))
    return [[t, repr(c), repr(c), repr(c), repr(c), repr(v), t + 3_599_999, repr(v * c), 10,
             "0", "0", "0"] for t, c, v in bars]


def _tick(last: float) -> float:
    return 0.1 if last >= 10 else last * 0.0001


def _ticker(symbol: str, last: float, volume: float, quote_volume: float) -> dict[str, Any]:
    now = now_ms()
    return {"symbol": symbol, "priceChange": "0", "priceChangePercent": "0",
            "weightedAvgPrice": repr(last), "prevClosePrice": repr(last), "lastPrice": repr(last),
            "lastQty": "0.01", "bidPrice": repr(last - _tick(last)), "bidQty": "1",
            "askPrice": repr(last + _tick(last)), "askQty": "1", "openPrice": repr(last),
            "highPrice": repr(last * 1.01), "lowPrice": repr(last * 0.99),
            "volume": repr(volume), "quoteVolume": repr(quote_volume),
            "openTime": now - 86_400_000, "closeTime": now, "firstId": 1, "lastId": 2, "count": 2}


def spot_ticker(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v3/ticker/24hr."""
    coin = _coin(market, p.get("symbol"), hidden)
    price = market.coins[coin].price
    return _ticker(f"{coin}USDT", price, 12_000.0, 12_000.0 * price)


def futures_ticker(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /fapi/v1/ticker/24hr."""
    coin = _coin(market, p.get("symbol"), hidden)
    book = market.coins[coin]
    vol = book.perps["binanceusdm"].volume_24h_coins
    return _ticker(f"{coin}USDT", book.price, vol, vol * book.price)


def open_interest(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /fapi/v1/openInterest (in coins)."""
    coin = _coin(market, p.get("symbol"), hidden)
    oi = market.coins[coin].perps["binanceusdm"].oi_coins
    return {"openInterest": f"{oi:.3f}", "symbol": f"{coin}USDT", "time": now_ms()}


def open_interest_hist(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /futures/data/openInterestHist (hourly)."""
    coin = _coin(market, p.get("symbol"), hidden)
    if p.get("period") != "1h":
        return []
    points = market.oi_points(coin, "binanceusdm", _limit(p, 30))
    price_then = market.coins[coin].price_24h_ago
    return [{"symbol": f"{coin}USDT", "sumOpenInterest": f"{oi:.8f}",
             "sumOpenInterestValue": f"{oi * price_then:.8f}", "timestamp": t}
            for t, oi in points]


def _ratios(market: FakeMarket, hidden: set[str], p: Params, top: bool) -> Any:
    coin = _coin(market, p.get("symbol"), hidden)
    perp = market.coins[coin].perps["binanceusdm"]
    ratio = perp.top_long_short if top else perp.long_short
    if p.get("period") != "5m" or ratio is None:
        return []
    long_share = ratio / (1 + ratio)
    now = now_ms() // 300_000 * 300_000
    return [{"symbol": f"{coin}USDT", "longShortRatio": f"{r:.4f}",
             "longAccount": f"{s:.4f}", "shortAccount": f"{1 - s:.4f}", "timestamp": t}
            for t, r, s in ((now - 300_000, 1.0, 0.5), (now, ratio, long_share))]


def global_ratio(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /futures/data/globalLongShortAccountRatio."""
    return _ratios(market, hidden, p, top=False)


def top_position_ratio(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /futures/data/topLongShortPositionRatio."""
    return _ratios(market, hidden, p, top=True)


def premium_index(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /fapi/v1/premiumIndex."""
    coin = _coin(market, p.get("symbol"), hidden)
    book = market.coins[coin]
    now = now_ms()
    return {"symbol": f"{coin}USDT", "markPrice": repr(book.price),
            "indexPrice": repr(book.price), "estimatedSettlePrice": repr(book.price),
            "lastFundingRate": repr(book.perps["binanceusdm"].funding_rate),
            "interestRate": "0.00010000", "nextFundingTime": now // 28_800_000 * 28_800_000
            + 28_800_000, "time": now}


def funding_info(market: FakeMarket, hidden: set[str], _p: Params) -> Any:
    """GET /fapi/v1/fundingInfo: only symbols whose interval differs from 8h are listed."""
    return [{"symbol": f"{c}USDT", "adjustedFundingRateCap": "0.02",
             "adjustedFundingRateFloor": "-0.02",
             "fundingIntervalHours": int(b.perps["binanceusdm"].funding_hours),
             "disclaimer": False}
            for c, b in market.coins.items()
            if c not in hidden and b.perps["binanceusdm"].funding_hours != 8.0]


def agg_trades(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /fapi/v1/aggTrades (``startTime`` honoured)."""
    coin = _coin(market, p.get("symbol"), hidden)
    since = int(p.get("startTime", 0))
    return [{"a": t.trade_id, "p": repr(t.price), "q": repr(t.amount), "f": t.trade_id,
             "l": t.trade_id, "T": t.ms, "m": t.side == "sell"}
            for t in market.trades
            if t.venue == "binanceusdm" and t.coin == coin and t.ms >= since]


SPOT_ROUTES: dict[str, Handler] = {
    "GET /api/v3/exchangeInfo": spot_exchange_info,
    "GET /api/v3/klines": spot_klines,
    "GET /api/v3/ticker/24hr": spot_ticker,
}

FUTURES_ROUTES: dict[str, Handler] = {
    "GET /fapi/v1/exchangeInfo": futures_exchange_info,
    "GET /fapi/v1/klines": futures_klines,
    "GET /fapi/v1/ticker/24hr": futures_ticker,
    "GET /fapi/v1/openInterest": open_interest,
    "GET /futures/data/openInterestHist": open_interest_hist,
    "GET /futures/data/globalLongShortAccountRatio": global_ratio,
    "GET /futures/data/topLongShortPositionRatio": top_position_ratio,
    "GET /fapi/v1/premiumIndex": premium_index,
    "GET /fapi/v1/aggTrades": agg_trades,
    "GET /fapi/v1/fundingInfo": funding_info,
}

NOT_LISTED: tuple[int, Any] = (400, {"code": -1121, "msg": "Invalid symbol."})
