"""The catalog reads listed bases and their markets from ccxt market lists."""

from __future__ import annotations

from typing import Any

from bot.market.catalog import listed_bases, symbol_for


def _spot(base: str, quote: str, active: bool = True) -> dict[str, Any]:
    return {"symbol": f"{base}/{quote}", "base": base, "quote": quote, "spot": True,
            "swap": False, "active": active}


def _perp(base: str, quote: str) -> dict[str, Any]:
    return {"symbol": f"{base}/{quote}:{quote}", "base": base, "quote": quote, "spot": False,
            "swap": True, "active": True}


SPOT = {m["symbol"]: m for m in (_spot("DOGE", "USDT"), _spot("ETH", "BTC"),
                                  _spot("WIF", "USDC"), _spot("OLD", "USDT", active=False))}


def test_only_active_dollar_quoted_spot_bases_are_listed() -> None:
    assert listed_bases(SPOT) == {"DOGE", "WIF"}


def test_an_unconfigured_base_gets_its_spot_pair_and_each_venues_perp() -> None:
    perps = {"okx": {"DOGE/USDT:USDT": _perp("DOGE", "USDT")},
             "hyperliquid": {"DOGE/USDC:USDC": _perp("DOGE", "USDC")}, "bybit": {}}
    conf = symbol_for("DOGE", SPOT, perps)
    assert conf is not None and conf.spot == "DOGE/USDT"
    assert conf.markets == {"okx": "DOGE/USDT:USDT", "hyperliquid": "DOGE/USDC:USDC"}
    assert symbol_for("OLD", SPOT, perps) is None
