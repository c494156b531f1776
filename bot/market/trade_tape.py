"""A rolling tape of large trades per venue, polled with ``since`` between snapshots.

One ``fetch_trades`` call sees only the last seconds of a busy market, so each
poll asks for trades after the newest one already seen and keeps those whose
notional (amount × contractSize × price) meets the threshold for ``window_ms``.
"""

from __future__ import annotations

from collections import deque

from bot.errors import VenueNotSupportedError
from bot.market.ccxt_errors import optional_number
from bot.market.models import LargeTrade, utc_from_ms
from bot.market.units import contracts_to_usd
from bot.market.venues import VenueClient

FIRST_LOOKBACK_MS = 5 * 60_000


class TradeTape:
    """Large trades of one venue and market symbol."""

    def __init__(self, threshold_usd: float, window_ms: int = 86_400_000) -> None:
        self._threshold = threshold_usd
        self._window = window_ms
        self._trades: deque[LargeTrade] = deque(maxlen=500)
        self._seen: set[str] = set()
        self._last_ms: int | None = None

    async def poll(self, client: VenueClient, symbol: str, now_ms: int) -> tuple[LargeTrade, ...]:
        """Fetch trades since the last poll and return the kept large ones, oldest first."""
        if not client.profile.public_trades or not client.has("fetchTrades"):
            raise VenueNotSupportedError(client.venue, "public trades not offered over REST")
        since = self._last_ms + 1 if self._last_ms is not None else now_ms - FIRST_LOOKBACK_MS
        rows = await client.call(lambda: client.exchange.fetch_trades(symbol, since))
        size = client.contract_size(symbol)
        for row in rows or []:
            self._consider(client.venue, row, size)
        cutoff = now_ms - self._window
        while self._trades and self._trades[0].timestamp.timestamp() * 1000 < cutoff:
            self._trades.popleft()
        return tuple(self._trades)

    def _consider(self, venue: str, row: dict[str, object], size: float) -> None:
        ts = optional_number(row.get("timestamp"))
        price = optional_number(row.get("price"))
        amount = optional_number(row.get("amount"))
        side = row.get("side")
        if ts is None or price is None or amount is None or (side != "buy" and side != "sell"):
            return
        self._last_ms = max(self._last_ms or 0, int(ts))
        key = str(row.get("id") or f"{ts}:{price}:{amount}:{side}")
        if key in self._seen:
            return
        self._seen.add(key)
        notional = contracts_to_usd(amount, size, price)
        if notional >= self._threshold:
            trade = LargeTrade(venue, utc_from_ms(ts), side, price, amount * size, notional)
            self._trades.append(trade)
        if len(self._seen) > 20_000:
            self._seen.clear()
