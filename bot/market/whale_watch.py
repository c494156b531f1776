"""The WhaleBook of a snapshot: tracked addresses, their transfers and large trades.

The previous observation is kept for diffs: it rotates whenever the tracked
positions were fetched anew (not served from the cache).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from bot.config import Settings
from bot.errors import VenueError
from bot.market.cache import Cached, TtlCache
from bot.market.deadline import Deadline
from bot.market.gather import Fetch, gather_metrics
from bot.market.models import (
    Deposit,
    LargeTrade,
    Missing,
    WhaleBook,
    WhalePosition,
    WhaleTrader,
    ms_from_utc,
)
from bot.market.venue_whales import whale_positions, whale_transfers
from bot.market.venues import VenueClient

WHALE_VENUE = "hyperliquid"
TRANSFER_LOOKBACK_MS = 7 * 86_400_000


@dataclass
class WhaleFetch:
    """What one round of whale fetches produced."""

    traders: list[WhaleTrader] = field(default_factory=list)
    deposits: list[Deposit] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    fresh: bool = False


@dataclass(frozen=True, slots=True)
class WhaleSighting:
    """What the whale watcher saw at ``at``: the accounts polled directly (their full
    position lists; an address whose fetch failed is absent), their transfers, and the
    ranked top list when the source has one (replayed snapshots)."""

    at: datetime
    accounts: tuple[WhaleTrader, ...] = ()
    deposits: tuple[Deposit, ...] = ()
    ranked: tuple[WhalePosition, ...] | None = None
    ranked_as_of: datetime | None = None
    missing: tuple[Missing, ...] = ()


class WhaleWatch:
    """Fetches tracked addresses and remembers the previous observation."""

    def __init__(self, settings: Settings, cache: TtlCache) -> None:
        self._settings = settings
        self._cache = cache
        self._current: WhaleBook | None = None
        self._previous: WhaleBook | None = None

    async def fetch(
        self, client: VenueClient | None, now: datetime, deadline: Deadline,
        addresses: Sequence[tuple[str, str]] | None = None,
    ) -> WhaleFetch:
        """Positions and transfers of every tracked address, or of ``addresses`` ((address,
        label) pairs), cached, under the venue deadline."""
        fetched = WhaleFetch()
        wanted = tuple((w.address, w.label) for w in self._settings.whales.tracked) \
            if addresses is None else tuple(addresses)
        if client is None or not wanted:
            return fetched
        outcomes = await gather_metrics(
            WHALE_VENUE, self._cache, self._jobs(client, now, wanted), deadline,
        )
        for name, outcome in outcomes.items():
            if isinstance(outcome, VenueError):
                fetched.missing.append(
                    Missing(WHALE_VENUE, name, outcome.reason, outcome.temporary)
                )
            elif name.startswith("positions:"):
                fetched.traders.append(outcome.value)
                fetched.fresh = fetched.fresh or _is_fresh(outcome)
            else:
                fetched.deposits.extend(outcome.value)
        return fetched

    def book(
        self, fetched: WhaleFetch, large_trades: tuple[LargeTrade, ...], now: datetime
    ) -> WhaleBook:
        """The whale book at ``now``, linked to the previous observation."""
        book = WhaleBook(
            as_of=now,
            source=WHALE_VENUE,
            traders=tuple(fetched.traders),
            large_trades=tuple(sorted(large_trades, key=lambda t: t.timestamp)),
            deposits=tuple(sorted(fetched.deposits, key=lambda d: d.timestamp)),
        )
        if fetched.fresh or self._current is None:
            self._previous, self._current = self._current, book
        return dataclasses.replace(book, previous=self._previous)

    def _jobs(self, client: VenueClient, now: datetime, wanted: Sequence[tuple[str, str]]
              ) -> dict[str, tuple[object, float, Fetch]]:
        ttl = self._settings.cache.whales_ttl
        since = ms_from_utc(now) - TRANSFER_LOOKBACK_MS
        jobs: dict[str, tuple[object, float, Fetch]] = {}
        for addr, label in wanted:
            jobs[f"positions:{addr}"] = (
                (WHALE_VENUE, "positions", addr), ttl,
                partial(whale_positions, client, addr, label),
            )
            jobs[f"transfers:{addr}"] = (
                (WHALE_VENUE, "transfers", addr), ttl,
                partial(whale_transfers, client, addr, label, since),
            )
        return jobs


def _is_fresh(outcome: Cached[object]) -> bool:
    return not outcome.stale and outcome.age_seconds == 0.0
