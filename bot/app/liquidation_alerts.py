"""Liquidation bursts pushed to the chats that opted in (``/liqalerts``), and the opt-in.

:class:`LiquidationAlerts` owns the venue streams (``bot.market.liquidations_stream``),
running while some chat has opted in (or always, with ``[liquidations] enabled``); every
batch of liquidations goes through the :class:`BurstDetector`, and each new burst is
worded once and staged for every opted-in chat whose floor it reaches, in the price
alerts' outbox (``Storage.feeds.stage_feed_message``, keyed by the burst: a chat gets a
burst once, whatever re-sends or restarts follow), then handed to the transport's
sending function. A chat that got a liquidation message less than the alerts'
``cooldown_seconds`` ago, or ``daily_cap`` of them within a day, skips the burst.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.alerts.liquidations import Burst, BurstDetector
from bot.alerts.rules import parse_number
from bot.app.requests import Destination, Reply
from bot.app.service import MarketService
from bot.commentary.render import render_template
from bot.market.liquidations import Liquidation, StreamHealth, StreamState, watched_markets
from bot.storage.alerts import StagedAlertMessage

if TYPE_CHECKING:
    from bot.market.liquidations_stream import LiquidationStreams

log = logging.getLogger(__name__)
FEED = "liquidations"
TEMPLATE = "alerts/liquidation_burst.j2"
REPLIES = "telegram/liqalerts.j2"
DAY = timedelta(days=1)
SendAll = Callable[[Sequence[StagedAlertMessage]], Awaitable[object]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class BurstReport:
    """What announcing one burst did (for logs and tests)."""

    burst: Burst
    staged: int = 0
    below_floor: int = 0
    held: int = 0


class LiquidationAlerts:
    """The streams, the burst detector and the fan-out of bursts to opted-in chats."""

    def __init__(self, service: MarketService, send_all: SendAll,
                 clock: Callable[[], datetime] = _utc_now, live: bool = True) -> None:
        self.service = service
        #: whether venue streams may run (not on demo or replayed data without a test server)
        self.live = live
        self.settings = service.settings.liquidations
        self.store = service.storage.feeds
        self._send_all = send_all
        self.clock = clock
        self.detector = BurstDetector(self.settings.window_minutes, self.settings.threshold,
                                      self.settings.quiet_minutes)
        self.health = StreamHealth(clock)
        self.streams: LiquidationStreams | None = None  # ccxt is loaded when they start
        self.reports: list[BurstReport] = []

    # -- opt-in -------------------------------------------------------------------------

    async def command(self, where: Destination, args: Sequence[str]) -> Reply:
        """``/liqalerts [on [MIN_USD] | off]``: switch this chat's burst alerts."""
        words = [a.lower() for a in args]
        if not words:
            subs = [s for s in await self.store.of_chat(where.chat_id) if s.feed == FEED]
            return self._reply("status", sub=subs[0] if subs else None)
        if words[0] == "on" and len(words) <= 2:
            floor = parse_number(words[1]) if len(words) == 2 else 0.0
            if floor is None:
                return self._reply("usage", said=" ".join(args))
            await self.store.subscribe(where.chat_id, where.thread_id, FEED, floor, self.clock())
            await self.update_streams()
            return self._reply("on", min_usd=floor)
        if words == ["off"]:
            was_on = await self.store.unsubscribe(where.chat_id, FEED)
            await self.update_streams()
            return self._reply("off" if was_on else "was_off")
        return self._reply("usage", said=" ".join(args))

    def _reply(self, what: str, **values: object) -> Reply:
        coins = [c for c in (self.settings.coins or self.service.settings.symbol_names)]
        venues = [v for v in self.settings.venues if watched_markets(self.service.settings, v)]
        return Reply(what, {"coins": coins, "venues": venues, "live": self.live,
                            "window": self.settings.window_minutes,
                            "threshold": {c: self.settings.threshold(c) for c in coins},
                            **values})

    def render(self, reply: Reply) -> str:
        """A ``/liqalerts`` reply in the service's flavour."""
        return render_template(REPLIES, self.service.flavour, what=reply.what, **reply.values)

    # -- streams ------------------------------------------------------------------------

    async def update_streams(self) -> None:
        """Run the streams while enabled or while some chat opted in; stop them otherwise."""
        wanted = self.live and (self.settings.enabled or await self.store.count(FEED) > 0)
        if wanted and not self.running:
            from bot.market.liquidations_stream import LiquidationStreams

            log.info("liquidation streams starting")
            self.streams = self.streams or LiquidationStreams(
                self.service.settings, self.on_liquidations, self.health)
            self.streams.start()
        elif not wanted and self.running:
            log.info("liquidation streams stopping: no chat wants them")
            await self.close()

    @property
    def running(self) -> bool:
        """Whether the venue streams are running."""
        return self.streams is not None and self.streams.running

    async def close(self) -> None:
        """Stop the streams (on shutdown)."""
        if self.streams is not None:
            await self.streams.stop()

    def stream_states(self) -> tuple[StreamState, ...]:
        """Each venue stream's health (for ``/status``)."""
        return self.health.states()

    # -- bursts -------------------------------------------------------------------------

    async def on_liquidations(self, batch: list[Liquidation]) -> None:
        """A stream's new liquidations: announce the bursts they complete."""
        for burst in self.detector.add(batch):
            try:
                self.reports.append(await self.announce(burst))
            except Exception:  # a storage fault must not end the stream
                log.exception("liquidation burst of %s not announced", burst.coin)

    async def announce(self, burst: Burst) -> BurstReport:
        """Stage ``burst`` for each opted-in chat it concerns, then send the messages."""
        now = self.clock()
        report = BurstReport(burst)
        missing = [s.venue for s in self.health.states() if s.status != "connected"]
        text = render_template(TEMPLATE, self.service.flavour, burst=burst, missing=missing)
        key = f"liq:{burst.coin}:{burst.started_at.isoformat()}"
        staged: list[StagedAlertMessage] = []
        for sub in await self.store.subscribers(FEED):
            if burst.notional_usd < sub.min_usd:
                report.below_floor += 1
                continue
            count, last = await self.store.messages_since(sub.chat_id, FEED, now - DAY)
            alerts = self.service.settings.alerts
            if (last is not None and (now - last).total_seconds() < alerts.cooldown_seconds) \
                    or count >= alerts.daily_cap:
                report.held += 1
                continue
            message = await self.store.stage_feed_message(sub.chat_id, sub.thread_id, FEED,
                                                          text, key, now)
            if message is not None:
                staged.append(message)
        report.staged = len(staged)
        log.info("liquidation burst %s %s $%.0f: %d chats, %d below their floor, %d held",
                 burst.coin, burst.side, burst.notional_usd, report.staged,
                 report.below_floor, report.held)
        await self._send_all(staged)
        return report
