"""A MarketSource test double: the demo market, with venue failures on demand."""

from __future__ import annotations

import asyncio
import random

from bot.errors import VenueNetworkError
from bot.market.demo import DemoSource
from bot.market.models import MarketSnapshot
from bot.symbols import Listing


class FlakySource:
    """Wraps ``DemoSource``; fails ``failure_rate`` of calls (seeded) or every call when down.

    ``gate``, when set, makes every snapshot wait for it (to hold requests in flight).
    """

    def __init__(self, demo: DemoSource, failure_rate: float = 0.0, seed: int = 7) -> None:
        self.demo = demo
        self.failure_rate = failure_rate
        self.down = False
        self.crash: Exception | None = None
        self.gate: asyncio.Event | None = None
        self.calls: list[str] = []
        self.failures = 0
        self._random = random.Random(seed)

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        """The demo snapshot, or a venue error."""
        self.calls.append(symbol)
        if self.gate is not None:
            await self.gate.wait()
        if self.crash is not None:
            raise self.crash
        if self.down or self._random.random() < self.failure_rate:
            self.failures += 1
            raise VenueNetworkError("binance", "connection refused (test double)")
        return await self.demo.snapshot(symbol)

    def listing(self) -> Listing:
        """The demo's listing: real coins it does not simulate have no demo data."""
        return self.demo.listing()

    async def close(self) -> None:
        """Nothing to release."""
