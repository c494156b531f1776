"""The whale watcher's round: look at the whales, diff against what was stored, push events.

Each round asks the source for a :class:`bot.market.whale_watch.WhaleSighting` of every
watched address (``[[whales.tracked]]`` and the ones chats added with ``/whalewatch``): live,
their own position lists and transfers; replayed, the ranked top list of the latest whale
snapshot. Positions are diffed (:mod:`bot.alerts.whales`) against the state stored by the
previous round, so a restart never re-announces old positions; the first observation of an
address (or of the list) is a baseline, not events. Events go to the chats that opted in
(``/whalealerts``, feed ``whales``) at or above their size: one message per chat per round,
staged in the alert outbox under a key of its events (so a retried round stages nothing
twice), then sent through :class:`bot.app.push_delivery.PushDelivery`. A chat in its cooldown
or at its daily cap gets nothing more this round (the events are not kept for it; the last
message it gets says so). Events come eight to a message.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.alerts.whales import (
    Key,
    Thresholds,
    WhaleEvent,
    by_key,
    diff_positions,
    holding_of,
    message_key,
    transfer_events,
)
from bot.app.digests import Sender
from bot.app.push_delivery import PushDelivery
from bot.app.service import MarketService
from bot.commentary.render import render_template
from bot.errors import DataError, UnknownSymbolError, VenueError
from bot.market.source import WhaleWatching
from bot.market.whale_watch import WhaleSighting
from bot.storage.alerts import StagedAlertMessage
from bot.storage.feeds import FeedSubscription
from bot.storage.whales import WHOLE_LIST, WhaleHolding

log = logging.getLogger(__name__)
FEED = "whales"
TEMPLATE = "alerts/whales.j2"
DAY = timedelta(days=1)
#: events in one message (more go in further messages of the same round)
SHOWN = 8


@dataclass(frozen=True, slots=True)
class CoinContext:
    """The market clause of an event: the coin's price and its change over 24 hours."""

    coin: str
    price: float
    change_pct: float | None


@dataclass
class WhaleReport:
    """What one round did (for logs, /status and tests)."""

    addresses: int = 0
    events: list[WhaleEvent] = field(default_factory=list)
    baselines: int = 0
    #: events staged for chats (an event going to two chats counts twice)
    delivered: int = 0
    messages: int = 0
    held: int = 0
    failed: int = 0
    missing: int = 0


class WhaleWatcher:
    """Runs whale rounds for one market service; sends through the shared delivery."""

    def __init__(self, service: MarketService, sender: Sender,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 delivery: PushDelivery | None = None) -> None:
        self.service = service
        self.clock = clock
        self.settings = service.settings.whales.watch
        self.delivery = delivery or PushDelivery(service.storage, sender, clock)
        self.limits = Thresholds(self.settings.change_pct, self.settings.min_notional_usd,
                                 self.settings.deposit_usd)
        self.last_report: WhaleReport | None = None
        self._lock = asyncio.Lock()

    async def addresses(self) -> dict[str, str]:
        """Every watched address and its label (configured ones first, their labels win)."""
        found = {w.address: w.label for w in self.service.settings.whales.tracked}
        for watched in await self.service.storage.whales.watched():
            found.setdefault(watched.address, watched.label or "")
        return found

    async def run(self) -> WhaleReport:
        """One round (a round still running makes this one a no-op)."""
        if self._lock.locked():
            return WhaleReport()
        async with self._lock:
            report = WhaleReport()
            source = self.service.source
            if not isinstance(source, WhaleWatching):
                return report
            addresses = await self.addresses()
            report.addresses = len(addresses)
            sighting = await source.whale_sighting(list(addresses.items()))
            report.missing = len(sighting.missing)
            tracked, observed = await self._tracked_events(sighting, addresses, report)
            top = await self._top_events(sighting, report)
            report.events = [*tracked, *(top[0] if top else [])]
            staged = await self._stage(report)
            # the new state is recorded after staging: a crash in between stages nothing
            # twice (same events, same keys) and loses nothing
            await self.service.storage.whales.record("tracked", observed, sighting.at)
            if top is not None:
                await self.service.storage.whales.record("top", {WHOLE_LIST: top[1]}, top[2])
            sent = await self.delivery.send_all(staged)
            report.messages, report.failed = sent.messages, sent.failed
            self.last_report = report
            return report

    async def _tracked_events(self, sighting: WhaleSighting, addresses: Mapping[str, str],
                              report: WhaleReport
                              ) -> tuple[list[WhaleEvent], dict[str, list[WhaleHolding]]]:
        """Events of the addresses polled directly, and their state to record."""
        store = self.service.storage.whales
        seen = await store.seen("tracked")
        for gone in set(seen) - set(addresses):  # watched again later: a new baseline
            await store.forget("tracked", gone)
        before: dict[str, dict[Key, WhaleHolding]] = defaultdict(dict)
        for h in await store.holdings("tracked"):
            before[h.address][(h.address, h.coin)] = h
        events: list[WhaleEvent] = []
        observed: dict[str, list[WhaleHolding]] = {}
        for trader in sighting.accounts:
            address = trader.address.lower()
            label = addresses.get(address) or trader.label
            now = by_key(holding_of(p, label) for p in trader.positions)
            since = seen.get(address)
            if since is None:
                report.baselines += 1
            else:
                events += diff_positions(before[address], now, direct=True, since=since,
                                         at=sighting.at, limits=self.limits)
                events += transfer_events(
                    [d for d in sighting.deposits if d.address.lower() == address], since,
                    limits=self.limits, label=label)
            observed[address] = list(now.values())
        return events, observed

    async def _top_events(self, sighting: WhaleSighting, report: WhaleReport
                          ) -> tuple[list[WhaleEvent], list[WhaleHolding], datetime] | None:
        """Events of the ranked top list when it is newer than the one stored; the list to
        record and its time (``None``: no new list)."""
        if sighting.ranked is None or sighting.ranked_as_of is None:
            return None
        store = self.service.storage.whales
        since = (await store.seen("top")).get(WHOLE_LIST)
        if since is not None and sighting.ranked_as_of <= since:
            return None
        now = by_key(holding_of(p) for p in sighting.ranked)
        if since is None:
            report.baselines += 1
            return [], list(now.values()), sighting.ranked_as_of
        before = by_key(await store.holdings("top"))
        events = diff_positions(before, now, direct=False, since=since,
                                at=sighting.ranked_as_of, limits=self.limits)
        return events, list(now.values()), sighting.ranked_as_of

    async def _audience(self) -> dict[str, set[int]]:
        """Chats that added each address themselves."""
        chats: dict[str, set[int]] = defaultdict(set)
        for watched in await self.service.storage.whales.watched():
            chats[watched.address].add(watched.chat_id)
        return chats

    def _for(self, sub: FeedSubscription, events: Sequence[WhaleEvent],
             added: Mapping[str, set[int]]) -> list[WhaleEvent]:
        """The events ``sub``'s chat gets: big enough, and of an address every chat
        follows (configured, or the top list) or one this chat added."""
        configured = {w.address for w in self.service.settings.whales.tracked}
        return [e for e in events if e.usd >= sub.min_usd and (
            not e.direct or e.address in configured or sub.chat_id in added.get(e.address, ()))]

    async def _stage(self, report: WhaleReport) -> list[StagedAlertMessage]:
        """Stage one message per opted-in chat (none in its cooldown or at its cap)."""
        staged: list[StagedAlertMessage] = []
        if report.events:
            now = self.clock()
            added = await self._audience()
            context = await self._context({e.coin for e in report.events if e.coin})
            feeds = self.service.storage.feeds
            for sub in await feeds.subscribers(FEED):
                events = self._for(sub, report.events, added)
                if not events:
                    continue
                count, last = await feeds.messages_since(sub.chat_id, FEED, now - DAY)
                cooling = last is not None and (now - last).total_seconds() \
                    < self.settings.cooldown_seconds
                room = 0 if cooling else max(0, self.settings.daily_cap - count)
                chunks = [events[i:i + SHOWN] for i in range(0, len(events), SHOWN)]
                held = sum(len(c) for c in chunks[room:])
                report.held += held
                for number, chunk in enumerate(chunks[:room], start=1):
                    text = render_template(
                        TEMPLATE, self.service.flavour, events=chunk, context=context,
                        held=held if number == min(room, len(chunks)) else 0,
                        last_today=count + number >= self.settings.daily_cap)
                    message = await feeds.stage_feed_message(
                        sub.chat_id, sub.thread_id, FEED, text, message_key(chunk), now)
                    if message is not None:
                        staged.append(message)
                        report.delivered += len(chunk)
        return staged

    async def _context(self, coins: set[str]) -> dict[str, CoinContext]:
        """Price and 24-hour change of each coin from the shared snapshot (a coin the
        source has no data for gets no clause)."""
        out: dict[str, CoinContext] = {}
        for coin in sorted(coins):
            try:
                snapshot = await self.service.source.snapshot(coin)
            except (VenueError, DataError, UnknownSymbolError) as e:
                log.info("no market context for %s: %s", coin, e)
                continue
            price = snapshot.last_price
            if price is None:
                continue
            closes = snapshot.series("1h").close
            change = (price / float(closes[-25]) - 1) * 100 if len(closes) >= 25 else None
            out[coin] = CoinContext(coin, price, change)
        return out
