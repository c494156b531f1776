"""The alert evaluation round: every active alert against its symbol's shared snapshot.

One snapshot per symbol per round, whatever the number of alerts (the source's cache serves
any other reader of the same symbol), so 10,000 alerts cost no more upstream requests than
one (``bench/bench_alerts.py``). Each alert's rule is evaluated on the last price and the 1h
candles opened since its last check (:func:`bot.alerts.evaluate.observe`).

Delivery, per chat (and forum topic): the alerts that fired in one round go out as one
message. A chat that got an alert message less than ``cooldown_seconds`` ago, or
``daily_cap`` of them in the last 24 hours, is *held*: its fired alerts stay armed and keep
their last check, so the crossing is still seen — and announced — by the first round after
the pause. Otherwise :meth:`bot.storage.alerts.AlertStore.fire` spends the alerts and stages
the message in one transaction, then the transport's :class:`bot.app.digests.Sender` sends
it; messages staged before a crash are sent at the start of the next round.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.alerts.evaluate import Observation, Verdict, evaluate, observe
from bot.app.alerts import rule_of
from bot.app.digests import Sender
from bot.app.push_delivery import PushDelivery
from bot.app.service import MarketService
from bot.commentary.render import render_template
from bot.errors import DataError, UnknownSymbolError, VenueError
from bot.market.models import MarketSnapshot
from bot.storage.alerts import AlertRecord, Firing, StagedAlertMessage

log = logging.getLogger(__name__)
TEMPLATE = "alerts/fired.j2"
#: Symbols fetched at once (a round of many coins must fit in its minute).
SNAPSHOTS_AT_ONCE = 8
DAY = timedelta(days=1)


@dataclass
class AlertReport:
    """What one round did (for logs, tests and the benchmark)."""

    alerts: int = 0
    symbols: int = 0
    fired: int = 0
    held: int = 0
    expired: int = 0
    rearmed: int = 0
    messages: int = 0
    failed: int = 0
    unavailable: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Fired:
    """An alert that fired this round, with what was seen."""

    alert: AlertRecord
    verdict: Verdict
    seen: Observation


class AlertRound:
    """Runs rounds for one market service; sends through ``sender``."""

    def __init__(self, service: MarketService, sender: Sender,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 delivery: PushDelivery | None = None) -> None:
        self.service = service
        self.sender = sender
        self.clock = clock
        #: the one send path of alerts and feeds (shared with the whale watcher)
        self.delivery = delivery or PushDelivery(service.storage, sender, clock)
        self.settings = service.settings.alerts
        self.store = service.storage.alerts
        self.last_report: AlertReport | None = None
        self._lock = asyncio.Lock()

    async def run(self) -> AlertReport:
        """One round (a round still running makes this one a no-op)."""
        if self._lock.locked():
            log.info("alert round skipped: the previous one is still running")
            return AlertReport()
        async with self._lock:
            report = AlertReport()
            await self._send_all(await self.store.pending(), report)
            fired = await self._evaluate(report)
            await self._deliver(fired, report)
            self.last_report = report
            return report

    async def _evaluate(self, report: AlertReport) -> dict[tuple[int, int | None], list[Fired]]:
        """Check every active alert; record checks, expiries and re-arms; the firings by
        destination."""
        by_symbol: dict[str, list[AlertRecord]] = defaultdict(list)
        for alert in await self.store.active():
            by_symbol[alert.symbol].append(alert)
        fired: dict[tuple[int, int | None], list[Fired]] = defaultdict(list)
        snapshots = await self._snapshots(sorted(by_symbol))
        for symbol, alerts in by_symbol.items():
            report.alerts += len(alerts)
            snapshot = snapshots.get(symbol)
            if snapshot is None:
                report.unavailable.append(symbol)
                continue
            report.symbols += 1
            price = snapshot.last_price
            if price is None:
                report.unavailable.append(symbol)
                continue
            candles = snapshot.candles.get("1h")
            quiet: list[int] = []
            expired: list[int] = []
            rearmed: list[int] = []
            for alert in alerts:
                seen = observe(price, snapshot.as_of, alert.checked_at, candles)
                verdict = evaluate(rule_of(alert), alert.armed, seen)
                if verdict.outcome == "fired":
                    fired[(alert.chat_id, alert.thread_id)].append(Fired(alert, verdict, seen))
                    continue
                {"expired": expired, "rearmed": rearmed}.get(verdict.outcome, quiet).append(
                    alert.id)
            await self.store.checked(quiet, snapshot.as_of)
            await self.store.expire(expired)
            await self.store.rearm(rearmed, snapshot.as_of)
            report.expired += len(expired)
            report.rearmed += len(rearmed)
        return fired

    async def _snapshots(self, symbols: Sequence[str]) -> dict[str, MarketSnapshot | None]:
        """One snapshot per symbol, ``SNAPSHOTS_AT_ONCE`` at a time (``None``: unavailable,
        its alerts keep their last check and are looked at again next round)."""
        gate = asyncio.Semaphore(SNAPSHOTS_AT_ONCE)

        async def one(symbol: str) -> tuple[str, MarketSnapshot | None]:
            async with gate:
                try:
                    return symbol, await self.service.source.snapshot(symbol)
                except (VenueError, DataError, UnknownSymbolError) as e:
                    log.warning("alerts of %s not checked this round: %s", symbol, e)
                    return symbol, None

        return dict(await asyncio.gather(*(one(s) for s in symbols)))

    async def _deliver(self, fired: dict[tuple[int, int | None], list[Fired]],
                       report: AlertReport) -> None:
        """Stage one message per destination not held, then send them."""
        now = self.clock()
        staged: list[StagedAlertMessage] = []
        for (chat_id, thread_id), items in fired.items():
            if await self.service.storage.feeds.paused(chat_id) is not None:
                report.held += len(items)  # it blocked the bot: kept armed until it is back
                continue
            count, last = await self.store.messages_since(chat_id, now - DAY)
            cooling = last is not None and (now - last).total_seconds() \
                < self.settings.cooldown_seconds
            if cooling or count >= self.settings.daily_cap:
                report.held += len(items)
                continue
            text = render_template(TEMPLATE, self.service.flavour, items=_view(items))
            message = await self.store.fire(chat_id, thread_id, [
                Firing(f.alert.id, f.seen.at, f.seen.price) for f in items], text, now)
            if message is not None:
                report.fired += len(message.alert_ids)
                staged.append(message)
        await self._send_all(staged, report)

    async def _send_all(self, messages: Sequence[StagedAlertMessage],
                        report: AlertReport) -> None:
        sent = await self.delivery.send_all(messages)
        report.messages += sent.messages
        report.failed += sent.failed


def _view(items: Sequence[Fired]) -> list[dict[str, Any]]:
    """What the template shows of each fired alert."""
    def wick(f: Fired) -> bool:  # reached by a candle's wick, the price is back already
        level = f.verdict.level or 0.0
        return f.seen.price < level if f.verdict.side == "up" else f.seen.price > level

    return [{"alert": f.alert, "level": f.verdict.level, "side": f.verdict.side,
             "price": f.seen.price, "at": f.seen.at, "wick": wick(f)} for f in items]
