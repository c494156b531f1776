"""``ask``: the CLI question answerer over a market source."""

from __future__ import annotations

from bot.analysis import analyse
from bot.commentary import formatting
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.market.models import MarketSnapshot
from bot.qa.cli import ask


class _CountingSource:
    """The demo market, counting the snapshots asked for."""

    def __init__(self, settings: Settings) -> None:
        self.demo = DemoSource(settings)
        self.asked: list[str] = []

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        self.asked.append(symbol)
        return await self.demo.snapshot(symbol)

    async def close(self) -> None:
        await self.demo.close()


async def test_and_eth_without_history_answers_the_eth_price(settings: Settings) -> None:
    source = _CountingSource(settings)
    result = await ask(settings, source, "and eth?")
    price = analyse(source.demo.snapshot_now("ETH"), settings).price
    assert price is not None
    assert (result["intent"], result["topic"], result["symbol"]) == ("price", None, "ETH")
    assert formatting.usd(price.last) in result["answer"]
    assert source.asked == ["ETH"]


async def test_explicit_symbol_argument_overrides_the_question(settings: Settings) -> None:
    result = await ask(settings, _CountingSource(settings), "what does funding mean", "sol")
    assert (result["intent"], result["topic"], result["symbol"]) == ("explain", "funding", "SOL")
    assert "Solana" in result["answer"]


async def test_unknown_question_needs_no_snapshot(settings: Settings) -> None:
    source = _CountingSource(settings)
    result = await ask(settings, source, "what's the capital of france")
    assert (result["intent"], result["symbol"], source.asked) == ("unknown", None, [])
    assert "I can answer" in result["answer"]


async def test_unfollowed_coin_is_reported_without_fetching_it(settings: Settings) -> None:
    source = _CountingSource(settings)
    result = await ask(settings, source, "will doge moon?")
    assert (result["intent"], result["symbol"], source.asked) == ("outlook", "DOGE", [])
    assert "DOGE" in result["answer"]
