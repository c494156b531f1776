"""Digest rounds on schedule: which subscriptions a slot is due for, and start-up recovery.

At start-up (``recover`` then ``sync``): deliveries left pending by a crash are re-sent once;
slots missed while the bot was down are caught up within the grace window (older ones are
skipped and logged). The transport's timer (PTB's JobQueue, ``bot.telegram.digest_jobs``)
holds one job per distinct (schedule, timezone) from :meth:`DigestRunner.keys` and calls
:meth:`DigestRunner.run_key` when it fires; *when* a slot is due is ``bot.scheduling``'s.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.app.digests import Fanout, FanoutReport, Sender
from bot.app.service import MarketService
from bot.errors import UserInputError
from bot.scheduling.fanout_plan import DueSubscription
from bot.scheduling.keys import ScheduleKey
from bot.scheduling.slots import catch_up, due_slot, next_slot
from bot.storage.subscriptions import Subscription

log = logging.getLogger(__name__)
#: A pending delivery is re-sent this many times at most (after the first attempt).
RESENDS = 1


@dataclass(frozen=True, slots=True)
class Recovery:
    """What start-up recovery did."""

    resent: int
    abandoned: int
    caught_up: int
    skipped: int


def key_of(sub: Subscription) -> ScheduleKey:
    """The job key serving ``sub``."""
    return ScheduleKey.from_texts(sub.schedule, sub.timezone)


def due_of(sub: Subscription, slot: datetime) -> DueSubscription:
    """``sub`` due at ``slot``."""
    return DueSubscription(sub.id, sub.chat_id, sub.symbols, slot, sub.thread_id)


class DigestRunner:
    """Runs the digest rounds of one bot: due slots, fan-out, recovery after a crash."""

    def __init__(self, service: MarketService, sender: Sender,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.service = service
        self.store = service.storage.subscriptions
        self.store.default_timezone = service.settings.schedule.timezone
        self.fanout = Fanout(service, sender)
        self.clock = clock
        self.grace = timedelta(minutes=service.settings.schedule.catch_up_grace_minutes)
        self.last_report: FanoutReport | None = None
        #: set once start-up recovery finished (it runs as a job, not blocking start-up)
        self.recovered = asyncio.Event()
        #: one round at a time: recovery on taking the lead and a job firing never overlap
        self._rounds = asyncio.Lock()

    # -- rounds ------------------------------------------------------------------------

    async def keys(self) -> set[ScheduleKey]:
        """Every (schedule, timezone) an active subscription uses."""
        keys: set[ScheduleKey] = set()
        for sub in await self.store.active():
            try:
                keys.add(key_of(sub))
            except UserInputError as e:  # a schedule or zone this code no longer accepts
                log.error("subscription %d cannot be scheduled: %s", sub.id, e)
        return keys

    async def run_key(self, key: ScheduleKey) -> FanoutReport | None:
        """Deliver the slot due now for ``key`` (lateness measured against the slot)."""
        async with self._rounds:
            return await self._run_key(key)

    async def _run_key(self, key: ScheduleKey) -> FanoutReport | None:
        now = self.clock()
        slot = due_slot(key.schedule, key.timezone, now, max(self.grace, timedelta(minutes=1)))
        if slot is None:
            log.warning("digest job %s ran at %s, past every slot's grace", key.job_name, now)
            return None
        subs = await self.store.active_for(key.schedule.text, key.timezone.key)
        due = [due_of(s, slot) for s in subs if s.created_at < slot]
        report = await self.fanout.run(due)
        log.info("digest %s slot %s (late %.1fs): %d/%d chats sent, %d failed",
                 key.job_name, slot.isoformat(), (now - slot).total_seconds(), report.sent,
                 report.deliveries, report.failed)
        self.last_report = report
        return report

    # -- start-up --------------------------------------------------------------------

    async def recover(self) -> Recovery:
        """Re-send pending deliveries once, then catch up missed slots within the grace.

        Also what a process does on becoming the scheduler leader: the previous leader's
        pending deliveries and the slots it never reached are this one's now.
        """
        try:
            async with self._rounds:
                resent, abandoned = await self._resend_pending()
                caught, skipped = await self._catch_up(self.clock())
        finally:
            self.recovered.set()
        return Recovery(resent, abandoned, caught, skipped)

    async def _resend_pending(self) -> tuple[int, int]:
        due: list[DueSubscription] = []
        abandoned = 0
        for pending in await self.store.pending():
            sub = await self.store.get(pending.subscription_id)
            if sub is None or sub.paused or pending.attempts > RESENDS:
                chat_id = sub.chat_id if sub is not None else 0
                await self.store.record([pending.subscription_id], chat_id, pending.slot,
                                        "abandoned", "still pending after a re-send")
                log.warning("delivery of subscription %d slot %s abandoned",
                            pending.subscription_id, pending.slot.isoformat())
                abandoned += 1
                continue
            due.append(due_of(sub, pending.slot))
        if due:
            log.info("re-sending %d deliveries left pending by a crash", len(due))
            await self.fanout.run(due)
        return len(due), abandoned

    async def _catch_up(self, now: datetime) -> tuple[int, int]:
        due: list[DueSubscription] = []
        skipped_total = 0
        for sub in await self.store.active():
            try:
                key = key_of(sub)
            except UserInputError:
                continue
            last = await self.store.last_slot(sub.id) or sub.created_at
            missed = catch_up(key.schedule, key.timezone, last, now, self.grace)
            due.extend(due_of(sub, slot) for slot in missed.to_send)
            if missed.skipped:
                skipped_total += len(missed.skipped)
                newest = missed.skipped[-1]
                if not missed.to_send:
                    await self.store.record([sub.id], sub.chat_id, newest, "skipped",
                                            "missed while the bot was down")
                log.warning("subscription %d: %d slot(s) missed while down skipped "
                            "(newest %s%s)", sub.id, len(missed.skipped), newest.isoformat(),
                            ", older ones not listed" if missed.older_not_listed else "")
        if due:
            log.info("catching up %d missed digest slot(s)", len(due))
            await self.fanout.run(due)
        return len(due), skipped_total

    def next_runs(self, subs: Iterable[Subscription]) -> dict[int, datetime]:
        """Each subscription's next slot, in its chat's timezone."""
        now = self.clock()
        result: dict[int, datetime] = {}
        for sub in subs:
            key = key_of(sub)
            result[sub.id] = next_slot(key.schedule, key.timezone, now).astimezone(key.timezone)
        return result
