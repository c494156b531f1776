"""Hyperliquid ``POST /info`` answered by the body's ``type`` in native JSON."""

from __future__ import annotations

from typing import Any

from tests.fakes.fake_market import FakeMarket, Handler, NotListed, Params, now_ms

VENUE = "hyperliquid"
USDC = {"name": "USDC", "szDecimals": 8, "weiDecimals": 8, "index": 0,
        "tokenId": "0x6d1e7cde53ba9467b783cb7c530ce054", "isCanonical": True,
        "evmContract": None, "fullName": None}


def spot_meta(market: FakeMarket, hidden: set[str], body: Params) -> Any:
    """``spotMeta``: the tokens (ccxt loads them as currencies)."""
    return {"tokens": [USDC], "universe": []}


def meta_and_asset_ctxs(market: FakeMarket, hidden: set[str], body: Params) -> Any:
    """``metaAndAssetCtxs``: universe plus per-asset context (funding hourly, OI in coins)."""
    universe, ctxs = [], []
    for coin, book in market.coins.items():
        if coin in hidden:
            continue
        perp = book.perps[VENUE]
        px = repr(book.price)
        universe.append({"name": coin, "szDecimals": 5, "maxLeverage": 40})
        ctxs.append({"funding": repr(perp.funding_rate), "openInterest": repr(perp.oi_coins),
                     "prevDayPx": repr(book.price_24h_ago),
                     "dayNtlVlm": repr(perp.volume_24h_coins * book.price), "premium": "0.0",
                     "oraclePx": px, "markPx": px, "midPx": px, "impactPxs": [px, px],
                     "dayBaseVlm": repr(perp.volume_24h_coins)})
    return [{"universe": universe, "marginTables": []}, ctxs]


def candle_snapshot(market: FakeMarket, hidden: set[str], body: Params) -> Any:
    """``candleSnapshot``: hourly perp bars between ``startTime`` and ``endTime``."""
    req = body.get("req") or {}
    coin = req.get("coin")
    if coin not in market.coins or coin in hidden:
        raise NotListed(coin)
    if req.get("interval") != "1h":
        return []
    count = max(1, (int(req["endTime"]) - int(req["startTime"])) // 3_600_000 + 1)
    bars = market.perp_bars(coin, VENUE, min(count, 500))
    return [{"t": t, "T": t + 3_599_999, "s": coin, "i": "1h", "o": repr(c), "c": repr(c),
             "h": repr(c), "l": repr(c), "v": repr(v), "n": 100}
            for t, c, v in bars if int(req["startTime"]) <= t <= int(req["endTime"])]


def clearinghouse_state(market: FakeMarket, hidden: set[str], body: Params) -> Any:
    """``clearinghouseState`` of ``user``."""
    whale = market.whales.get(str(body.get("user")).lower())
    positions = whale.asset_positions if whale else []
    value = repr(whale.account_value if whale else 0.0)
    summary = {"accountValue": value, "totalNtlPos": "0", "totalRawUsd": value,
               "totalMarginUsed": "0"}
    return {"assetPositions": positions, "marginSummary": summary,
            "crossMarginSummary": summary, "crossMaintenanceMarginUsed": "0",
            "withdrawable": value, "time": now_ms()}


def ledger_updates(market: FakeMarket, hidden: set[str], body: Params) -> Any:
    """``userNonFundingLedgerUpdates`` of ``user`` since ``startTime``."""
    whale = market.whales.get(str(body.get("user")).lower())
    since = int(body.get("startTime") or 0)
    return [e for e in (whale.ledger if whale else []) if e["time"] >= since]


INFO_TYPES: dict[str, Handler] = {
    "spotMeta": spot_meta,
    "metaAndAssetCtxs": meta_and_asset_ctxs,
    "candleSnapshot": candle_snapshot,
    "clearinghouseState": clearinghouse_state,
    "userNonFundingLedgerUpdates": ledger_updates,
}

NOT_LISTED: tuple[int, Any] = (500, None)
