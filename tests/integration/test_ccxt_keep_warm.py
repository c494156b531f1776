"""A symbol kept warm is answered from memory while its expired snapshot is rebuilt."""

from __future__ import annotations

import asyncio

from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from tests.fakes.fake_exchange import FakeExchange, fake_exchange, loopback_only

__all__ = ["fake_exchange", "loopback_only"]

#: Every TTL short, so a test sees snapshots expire without waiting long.
TTL = 4.0


def short_lived(fx: FakeExchange) -> Settings:
    base = load_settings()
    cache = base.cache.model_copy(update={"ticker_ttl": TTL, "candles_ttl": TTL,
                                          "derivatives_ttl": TTL, "whales_ttl": TTL})
    return fx.settings(base.model_copy(update={"cache": cache}), retries=0,
                       backoff_seconds=0.0, timeout_seconds=5.0)


async def test_a_symbol_kept_warm_is_answered_from_memory_while_it_is_rebuilt(
    fake_exchange: FakeExchange,
) -> None:
    source = CcxtSource(short_lived(fake_exchange))
    await source.start()
    try:
        cold = await source.snapshot("ETH")
        await source.keep_warm(("BTC",))
        warm = await source.snapshot("BTC")
        await asyncio.sleep(TTL)  # both expired; BTC within one ticker TTL after
        fake_exchange.set_latency(30.0)  # the venues now take their time
        fake_exchange.reset_counts()
        from_memory = await asyncio.wait_for(source.snapshot("BTC"), 10)
        waiting = asyncio.create_task(source.snapshot("ETH"))
        await asyncio.sleep(0.5)
        ready = waiting.done()
        waiting.cancel()
    finally:
        fake_exchange.set_latency(0.0)
        await source.close()
    assert from_memory is warm  # the last BTC snapshot, at once
    assert fake_exchange.request_count("binance") >= 1  # …while BTC's rebuild was asked for
    assert not ready and cold.symbol == "ETH"  # a symbol not kept warm waits for its data
