"""OKX v5 (/api/v5/...) in native JSON ``{"code": "0", "msg": "", "data": [...]}``, in contracts."""

from __future__ import annotations

from typing import Any

from tests.fakes.fake_market import HOUR_MS, FakeMarket, Handler, NotListed, Params, now_ms

VENUE = "okx"


def _wrap(data: list[Any]) -> dict[str, Any]:
    return {"code": "0", "msg": "", "data": data}


def _coin(market: FakeMarket, inst_id: str | None, hidden: set[str]) -> str:
    for coin in market.coins:
        if inst_id == f"{coin}-USDT-SWAP" and coin not in hidden:
            return coin
    raise NotListed(inst_id)


def instruments(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/public/instruments?instType=SWAP."""
    if p.get("instType") != "SWAP":
        return _wrap([])
    rows = []
    for coin, book in market.coins.items():
        if coin in hidden:
            continue
        size = book.perps[VENUE].contract_size
        rows.append({
            "instType": "SWAP", "instId": f"{coin}-USDT-SWAP", "uly": f"{coin}-USDT",
            "instFamily": f"{coin}-USDT", "baseCcy": "", "quoteCcy": "", "settleCcy": "USDT",
            "ctValCcy": coin, "ctVal": repr(size), "ctMult": "1", "ctType": "linear",
            "lotSz": "0.01", "tickSz": "0.1", "minSz": "0.01", "lever": "100",
            "state": "live", "listTime": "1611916828000", "expTime": "", "optType": "",
            "stk": "", "alias": "", "category": "1", "maxLmtSz": "100000000",
            "maxMktSz": "12000",
        })
    return _wrap(rows)


def open_interest(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/public/open-interest."""
    coin = _coin(market, p.get("instId"), hidden)
    book = market.coins[coin]
    perp = book.perps[VENUE]
    contracts = perp.oi_coins / perp.contract_size
    return _wrap([{"instType": "SWAP", "instId": f"{coin}-USDT-SWAP", "oi": repr(contracts),
                   "oiCcy": repr(perp.oi_coins), "oiUsd": repr(perp.oi_coins * book.price),
                   "ts": str(now_ms())}])


def open_interest_history(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/rubik/stat/contracts/open-interest-history (newest first)."""
    coin = _coin(market, p.get("instId"), hidden)
    if p.get("period") != "1H":
        return _wrap([])
    book = market.coins[coin]
    perp = book.perps[VENUE]
    points = market.oi_points(coin, VENUE, int(p.get("limit", 100)))
    hour = now_ms() // HOUR_MS * HOUR_MS
    rows = []
    for t, oi in reversed(points):
        price = book.price_24h_ago if t <= hour - 23 * HOUR_MS else book.price
        rows.append([str(t), repr(oi / perp.contract_size), repr(oi), repr(oi * price)])
    return _wrap(rows)


def ticker(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/market/ticker (vol24h in contracts, volCcy24h in coins)."""
    coin = _coin(market, p.get("instId"), hidden)
    book = market.coins[coin]
    perp = book.perps[VENUE]
    last = repr(book.price)
    return _wrap([{"instType": "SWAP", "instId": f"{coin}-USDT-SWAP", "last": last,
                   "lastSz": "1", "askPx": last, "askSz": "10", "bidPx": last, "bidSz": "10",
                   "open24h": repr(book.price_24h_ago), "high24h": last, "low24h": last,
                   "volCcy24h": repr(perp.volume_24h_coins),
                   "vol24h": repr(perp.volume_24h_coins / perp.contract_size),
                   "ts": str(now_ms()), "sodUtc0": last, "sodUtc8": last}])


def candles(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/market/candles (newest first; vol in contracts, volCcy in coins)."""
    coin = _coin(market, p.get("instId"), hidden)
    if p.get("bar") != "1H":
        return _wrap([])
    perp = market.coins[coin].perps[VENUE]
    bars = market.perp_bars(coin, VENUE, int(p.get("limit", 100)))
    return _wrap([[str(t), repr(c), repr(c), repr(c), repr(c), repr(v / perp.contract_size),
                   repr(v), repr(v * c), "1"] for t, c, v in reversed(bars)])


def _ratio_rows(ratio: float | None, p: Params) -> Any:
    if ratio is None or p.get("period") != "5m":
        return _wrap([])
    now = now_ms() // 300_000 * 300_000
    return _wrap([[str(now), repr(ratio)], [str(now - 300_000), "1.0"]])


def long_short(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/rubik/stat/contracts/long-short-account-ratio-contract."""
    coin = _coin(market, p.get("instId"), hidden)
    return _ratio_rows(market.coins[coin].perps[VENUE].long_short, p)


def top_trader(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/rubik/stat/contracts/long-short-position-ratio-contract-top-trader."""
    coin = _coin(market, p.get("instId"), hidden)
    return _ratio_rows(market.coins[coin].perps[VENUE].top_long_short, p)


def funding_rate(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/public/funding-rate."""
    coin = _coin(market, p.get("instId"), hidden)
    perp = market.coins[coin].perps[VENUE]
    period = int(perp.funding_hours * HOUR_MS)
    funding_time = now_ms() // period * period + period
    return _wrap([{"instType": "SWAP", "instId": f"{coin}-USDT-SWAP",
                   "fundingRate": repr(perp.funding_rate), "nextFundingRate": "",
                   "fundingTime": str(funding_time), "nextFundingTime": str(funding_time + period),
                   "method": "current_period", "premium": "0", "settState": "settled",
                   "ts": str(now_ms())}])


def trades(market: FakeMarket, hidden: set[str], p: Params) -> Any:
    """GET /api/v5/market/trades (newest first; sz in contracts)."""
    coin = _coin(market, p.get("instId"), hidden)
    size = market.coins[coin].perps[VENUE].contract_size
    rows = [t for t in market.trades if t.venue == VENUE and t.coin == coin]
    return _wrap([{"instId": f"{coin}-USDT-SWAP", "tradeId": str(t.trade_id), "px": repr(t.price),
                   "sz": repr(t.amount / size), "side": t.side, "ts": str(t.ms)}
                  for t in sorted(rows, key=lambda t: -t.ms)])


ROUTES: dict[str, Handler] = {
    "GET /api/v5/public/instruments": instruments,
    "GET /api/v5/public/open-interest": open_interest,
    "GET /api/v5/rubik/stat/contracts/open-interest-history": open_interest_history,
    "GET /api/v5/market/ticker": ticker,
    "GET /api/v5/market/candles": candles,
    "GET /api/v5/rubik/stat/contracts/long-short-account-ratio-contract": long_short,
    "GET /api/v5/rubik/stat/contracts/long-short-position-ratio-contract-top-trader": top_trader,
    "GET /api/v5/public/funding-rate": funding_rate,
    "GET /api/v5/market/trades": trades,
}

NOT_LISTED: tuple[int, Any] = (
    200, {"code": "51001", "msg": "Instrument ID does not exist", "data": []}
)
