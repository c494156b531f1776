"""Bybit v5 (/v5/...) in native JSON: ``{"retCode": 0, "result": {...}}``, linear sizes in coins."""

from __future__ import annotations

from typing import Any

from tests.fakes.fake_market import FakeMarket, Handler, NotListed, Params, now_ms

VENUE = "bybit"
PERIODS = {"5min", "15min", "30min", "1h", "4h", "1d"}


def _wrap(result: dict[str, Any]) -> dict[str, Any]:
    return {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": now_ms()}


def _coin(market: FakeMarket, symbol: str | None, hidden: set[str]) -> str:
    for coin in market.coins:
        if symbol == f"{coin}USDT" and coin not in hidden:
            return coin
    raise NotListed(symbol)


def _linear(p: Params) -> None:
    if p.get("category") != "linear":
        raise NotListed(f"category {p.get('category')}")


def instruments(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /v5/market/instruments-info?category=linear."""
    _linear(p)
    if p.get("status") == "PreLaunch":
        return _wrap({"category": "linear", "list": [], "nextPageCursor": ""})
    rows = [{
        "symbol": f"{c}USDT", "contractType": "LinearPerpetual", "status": "Trading",
        "baseCoin": c, "quoteCoin": "USDT", "settleCoin": "USDT", "launchTime": "1585526400000",
        "deliveryTime": "0", "deliveryFeeRate": "", "priceScale": "2",
        "leverageFilter": {"minLeverage": "1", "maxLeverage": "100.00", "leverageStep": "0.01"},
        "priceFilter": {"minPrice": "0.10", "maxPrice": "1999999.80", "tickSize": "0.10"},
        "lotSizeFilter": {"maxOrderQty": "1190.000", "minOrderQty": "0.001", "qtyStep": "0.001",
                          "postOnlyMaxOrderQty": "1190.000", "minNotionalValue": "5"},
        "unifiedMarginTrade": True,
        "fundingInterval": int(market.coins[c].perps[VENUE].funding_hours * 60),
        "copyTrading": "both", "upperFundingRate": "0.00375", "lowerFundingRate": "-0.00375",
    } for c in market.coins if c not in hidden]
    return _wrap({"category": "linear", "list": rows, "nextPageCursor": ""})


def open_interest(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /v5/market/open-interest (newest first; in coins)."""
    _linear(p)
    coin = _coin(market, p.get("symbol"), hidden)
    if p.get("intervalTime") not in PERIODS or p.get("intervalTime") != "1h":
        raise NotListed(f"intervalTime {p.get('intervalTime')}")
    points = market.oi_points(coin, VENUE, int(p.get("limit", 50)))
    rows = [{"openInterest": f"{oi:.8f}", "timestamp": str(t)} for t, oi in reversed(points)]
    return _wrap({"symbol": f"{coin}USDT", "category": "linear", "list": rows,
                  "nextPageCursor": ""})


def tickers(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /v5/market/tickers (turnover24h in USDT, volume24h in coins)."""
    _linear(p)
    coins = [_coin(market, p["symbol"], hidden)] if p.get("symbol") else [
        c for c in market.coins if c not in hidden]
    rows = []
    for coin in coins:
        book = market.coins[coin]
        perp = book.perps[VENUE]
        px = repr(book.price)
        rows.append({
            "symbol": f"{coin}USDT", "lastPrice": px, "indexPrice": px, "markPrice": px,
            "prevPrice24h": repr(book.price_24h_ago), "price24hPcnt": "0", "highPrice24h": px,
            "lowPrice24h": px, "prevPrice1h": px, "openInterest": repr(perp.oi_coins),
            "openInterestValue": repr(perp.oi_coins * book.price),
            "turnover24h": repr(perp.volume_24h_coins * book.price),
            "volume24h": repr(perp.volume_24h_coins), "fundingRate": repr(perp.funding_rate),
            "nextFundingTime": str(now_ms() // 28_800_000 * 28_800_000 + 28_800_000),
            "predictedDeliveryPrice": "", "basisRate": "", "deliveryFeeRate": "",
            "deliveryTime": "0", "ask1Size": "1", "bid1Price": px, "ask1Price": px,
            "bid1Size": "1",
        })
    return _wrap({"category": "linear", "list": rows})


def kline(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /v5/market/kline (newest first; volume in coins, turnover in USDT)."""
    _linear(p)
    coin = _coin(market, p.get("symbol"), hidden)
    if p.get("interval") != "60":
        return _wrap({"symbol": f"{coin}USDT", "category": "linear", "list": []})
    bars = market.perp_bars(coin, VENUE, int(p.get("limit", 200)))
    rows = [[str(t), repr(c), repr(c), repr(c), repr(c), repr(v), repr(v * c)]
            for t, c, v in reversed(bars)]
    return _wrap({"symbol": f"{coin}USDT", "category": "linear", "list": rows})


def account_ratio(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /v5/market/account-ratio (``period`` must be a Bybit period such as 5min)."""
    _linear(p)
    coin = _coin(market, p.get("symbol"), hidden)
    if p.get("period") not in PERIODS:
        return {"retCode": 10001, "retMsg": "params error: period invalid", "result": {},
                "retExtInfo": {}, "time": now_ms()}
    ratio = market.coins[coin].perps[VENUE].long_short
    if ratio is None:
        return _wrap({"list": []})
    buy = ratio / (1 + ratio)
    now = now_ms() // 300_000 * 300_000
    rows = [{"symbol": f"{coin}USDT", "buyRatio": f"{buy:.6f}", "sellRatio": f"{1 - buy:.6f}",
             "timestamp": str(now)},
            {"symbol": f"{coin}USDT", "buyRatio": "0.5", "sellRatio": "0.5",
             "timestamp": str(now - 300_000)}]
    return _wrap({"list": rows})


def recent_trades(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /v5/market/recent-trade (newest first)."""
    _linear(p)
    coin = _coin(market, p.get("symbol"), hidden)
    rows = [{"execId": str(t.trade_id), "symbol": f"{coin}USDT", "price": repr(t.price),
             "size": repr(t.amount), "side": "Buy" if t.side == "buy" else "Sell",
             "time": str(t.ms), "isBlockTrade": False}
            for t in sorted(market.trades, key=lambda t: -t.ms)
            if t.venue == VENUE and t.coin == coin]
    return _wrap({"category": "linear", "list": rows})


ROUTES: dict[str, Handler] = {
    "GET /v5/market/instruments-info": instruments,
    "GET /v5/market/open-interest": open_interest,
    "GET /v5/market/tickers": tickers,
    "GET /v5/market/kline": kline,
    "GET /v5/market/account-ratio": account_ratio,
    "GET /v5/market/recent-trade": recent_trades,
}

NOT_LISTED: tuple[int, Any] = (
    200,
    {"retCode": 10001, "retMsg": "params error: symbol invalid", "result": {}, "retExtInfo": {}},
)
