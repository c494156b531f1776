"""A digest round: one snapshot, analysis and article per symbol, then per chat only its own
parts (headline memory, "since the last digest"), handed to the transport's :class:`Sender`.

Every delivery is staged before its first message: (subscription, slot) ``pending`` with
every message's text (``bot.storage.digest_outbox``); each message is marked sent as Telegram
accepts it, and the delivery ``sent`` after the last. A restart sends only what is unmarked,
from the stored text, so a crash mid-round neither drops nor repeats a chat's digest.

The last message of each article carries its post's buttons: the round hands the sender
plain data (:class:`PostButtons`: post id, view, related questions), staged with the text so a
re-send after a crash has them too, and links every sent message to its stored post, so taps
and replies work as under ``/digest``.

How a message travels (rate limits, retries, the transport's errors) is the sender's
business; it reports a chat that moved, blocked the bot or refused a message with
:class:`bot.errors.DeliveryError`, and the round acts on it (subscriptions follow a moved
chat, a blocking chat's subscriptions pause).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.analysis import Analysis
from bot.app.service import UNSTORED_POST, CurrentMarket, MarketService
from bot.app.views import PostButtons, View, alert_levels
from bot.commentary import MESSAGE_LIMIT, RelatedQuestion, RenderedPost, render_article, utf16_len
from bot.commentary.posts import reheadline
from bot.commentary.related import related_questions
from bot.commentary.render import render_template
from bot.commentary.views import PostView, build_view
from bot.errors import (
    ChatBlockedError,
    ChatMovedError,
    DataError,
    DeliveryError,
    StorageError,
    UnknownSymbolError,
    VenueError,
)
from bot.scheduling.digest import DigestMemory, DigestMetrics, metrics_of, since_last
from bot.scheduling.fanout_plan import ChatDelivery, DueSubscription, RenderKey, plan_fanout
from bot.storage.digest_outbox import DigestOutbox, OutboxPart, thread_key
from bot.storage.subscriptions import SubscriptionStore

log = logging.getLogger(__name__)
#: Chats served concurrently; the rate limiter, not this, sets the pace.
DEFAULT_WORKERS = 16
#: Moves of one chat followed within one message (a group upgraded to a supergroup: one).
MOVES_FOLLOWED = 2
FORBIDDEN = "forbidden"
#: Posts whose buttons are kept between rounds (one decode per post otherwise).
BUTTONS_KEPT = 256


#: The view digest messages show (their refresh button re-renders it).
DIGEST_VIEW: View = "digest"


class Sender(Protocol):
    """Sends one message of a digest; raises :class:`DeliveryError` when it cannot."""

    async def send(self, chat_id: int, thread_id: int | None, text: str,
                   buttons: PostButtons | None = None) -> int | None:
        """Send ``text`` to the chat (inside forum topic ``thread_id`` when given), with
        ``buttons`` under it; the sent message's id when the transport has one."""


@dataclass(frozen=True, slots=True)
class SharedRender:
    """The article for one (symbol, slot), rendered once for every chat."""

    analysis: Analysis
    view: PostView
    post: RenderedPost
    metrics: DigestMetrics
    headline_markup: str
    post_id: int = UNSTORED_POST


@dataclass
class FanoutReport:
    """What one fan-out did (for logs, tests and the benchmark)."""

    renders: int = 0
    deliveries: int = 0
    sent: int = 0
    messages: int = 0
    failed: int = 0
    paused: int = 0
    migrated: int = 0
    failures: list[str] = field(default_factory=list)


class DeliveryFailed(Exception):
    """A delivery Telegram refused for good (the reason is in ``detail``)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Fanout:
    """Builds and sends the digests of due subscriptions."""

    def __init__(self, service: MarketService, sender: Sender, *,
                 workers: int = DEFAULT_WORKERS) -> None:
        self.service = service
        self.sender = sender
        self.store: SubscriptionStore = service.storage.subscriptions
        self.outbox: DigestOutbox = service.storage.outbox
        self.workers = workers
        self._in_flight: set[tuple[int, datetime]] = set()
        #: the buttons of each stored post (one decode per post)
        self._buttons_of: dict[int, PostButtons | None] = {}

    async def run(self, due: Sequence[DueSubscription]) -> FanoutReport:
        """Deliver every due subscription not yet settled for its slot."""
        report = FanoutReport()
        fresh = await self._unsettled(due)
        plan = plan_fanout(fresh)
        staged = await self._staged(plan.deliveries)
        needed = sorted({k for d in plan.deliveries if not staged[d] for k in d.render_keys})
        renders = await self._render_all(needed, report)
        queue: asyncio.Queue[ChatDelivery] = asyncio.Queue()
        for delivery in plan.deliveries:
            queue.put_nowait(delivery)
        report.deliveries = len(plan.deliveries)
        workers = [asyncio.create_task(self._worker(queue, renders, staged, report))
                   for _ in range(min(self.workers, len(plan.deliveries)))]
        try:
            await asyncio.gather(*workers)
        finally:
            for key in ((s.subscription_id, s.slot) for s in fresh):
                self._in_flight.discard(key)
            if len(self._buttons_of) > BUTTONS_KEPT:  # a cache: a later re-send reads the post
                self._buttons_of.clear()
        return report

    async def _staged(self, deliveries: Sequence[ChatDelivery]
                      ) -> dict[ChatDelivery, tuple[OutboxPart, ...]]:
        """Parts staged before a crash, per delivery (empty for fresh ones)."""
        keys = {slot: await self.outbox.staged(slot) for slot in {d.slot for d in deliveries}}
        return {d: await self.outbox.parts(d.chat_id, d.thread_id, d.slot)
                if (d.chat_id, thread_key(d.thread_id)) in keys[d.slot] else ()
                for d in deliveries}

    async def _unsettled(self, due: Sequence[DueSubscription]) -> list[DueSubscription]:
        by_slot: dict[datetime, list[DueSubscription]] = {}
        for sub in due:
            if (sub.subscription_id, sub.slot) not in self._in_flight:
                by_slot.setdefault(sub.slot, []).append(sub)
        fresh: list[DueSubscription] = []
        for slot, subs in by_slot.items():
            settled = await self.store.settled(slot, [s.subscription_id for s in subs])
            fresh.extend(s for s in subs if s.subscription_id not in settled)
        self._in_flight.update((s.subscription_id, s.slot) for s in fresh)
        return fresh

    async def _render_all(self, keys: Sequence[RenderKey], report: FanoutReport
                          ) -> dict[RenderKey, SharedRender]:
        """Every article of the round: the symbols' markets fetched concurrently, then
        each article rendered concurrently (off the event loop)."""
        symbols = list(dict.fromkeys(key.symbol for key in keys))
        found = await asyncio.gather(*(self._published(symbol, keys) for symbol in symbols))
        markets = {s: current for s, current in zip(symbols, found, strict=True) if current}
        wanted = [key for key in keys if key.symbol in markets]
        built = await asyncio.gather(*(self._render(key, markets[key.symbol])
                                       for key in wanted))
        renders: dict[RenderKey, SharedRender] = {}
        for key, shared in zip(wanted, built, strict=True):
            renders[key] = shared
            self._buttons_of[shared.post_id] = digest_buttons(
                shared.post_id, shared.analysis, shared.post.related)
            report.renders += 1
        return renders

    async def _published(self, symbol: str, keys: Sequence[RenderKey]
                         ) -> CurrentMarket | None:
        """The market behind ``symbol``'s articles (``None``, logged, when unavailable)."""
        try:
            return await self.service.published(symbol)
        except (UnknownSymbolError, VenueError, DataError) as e:
            slots = sorted({str(k.slot) for k in keys if k.symbol == symbol})
            log.warning("digest of %s at %s not built: %s", symbol, ", ".join(slots), e)
            return None

    async def _render(self, key: RenderKey, current: CurrentMarket) -> SharedRender:
        """The shared article of ``key`` (the chat-specific headline is chosen later)."""
        analysis = current.analysis
        post = await asyncio.to_thread(render_article, analysis, chat_id=0,
                                       flavour=self.service.flavour)
        post = replace(post, messages=await self.service.cite_track_record(
            key.symbol, post.messages))
        return SharedRender(analysis, build_view(analysis), post, metrics_of(analysis),
                            post.headline_markup, current.post_id)

    async def _worker(self, queue: asyncio.Queue[ChatDelivery],
                      renders: dict[RenderKey, SharedRender],
                      staged: dict[ChatDelivery, tuple[OutboxPart, ...]],
                      report: FanoutReport) -> None:
        while not queue.empty():
            if not self.service.leadership.is_leader:  # lost the lease: the new leader resumes
                log.warning("scheduler lease lost: %d deliveries left to the new leader",
                            queue.qsize())
                return
            delivery = queue.get_nowait()
            try:
                parts = staged[delivery]
                if parts:  # staged before a crash: a re-send, counted as an attempt
                    await self.store.record(delivery.subscription_ids, delivery.chat_id,
                                            delivery.slot, "pending")
                else:
                    parts = await self._stage(delivery, renders)
                await self._deliver(delivery, parts, report)
            except Exception:  # one chat's failure never stops the others
                log.exception("digest delivery to chat %d failed", delivery.chat_id)
                report.failed += 1

    async def _stage(self, delivery: ChatDelivery, renders: dict[RenderKey, SharedRender]
                     ) -> tuple[OutboxPart, ...]:
        """Compose the chat's messages and store them, with the delivery pending."""
        parts = [(k, renders[k]) for k in delivery.render_keys if k in renders]
        if not parts:
            return ()
        chat_id = delivery.chat_id
        headlines = list(await self.store.recent_headlines(chat_id))
        memories: list[DigestMemory] = []
        messages: list[str] = []
        post_ids: list[int | None] = []
        for key, shared in parts:
            chat_messages, headline = await self._chat_messages(chat_id, shared, headlines)
            headlines.append(headline)
            messages.extend(chat_messages)
            post_ids.extend([shared.post_id] * len(chat_messages))
            memories.append(DigestMemory(chat_id, key.symbol, key.slot, headline,
                                         shared.metrics))
        return await self.outbox.stage(delivery.subscription_ids, chat_id, delivery.thread_id,
                                       delivery.slot, messages, memories, post_ids)

    async def _deliver(self, delivery: ChatDelivery, parts: Sequence[OutboxPart],
                       report: FanoutReport) -> None:
        """Send the staged parts not yet sent; settle the delivery."""
        if not parts:
            return
        ids, thread, slot = delivery.subscription_ids, delivery.thread_id, delivery.slot
        chat_id = delivery.chat_id
        try:
            for index, part in enumerate(parts):
                if part.sent:
                    continue
                last = index == len(parts) - 1 or parts[index + 1].post_id != part.post_id
                buttons = await self._buttons(part.post_id) if last else None
                chat_id, message_id = await self._send(chat_id, thread, part.text, buttons,
                                                       report)
                await self.outbox.mark_sent(chat_id, thread, slot, part.part)
                await self._link(chat_id, message_id, part, parts)
        except DeliveryFailed as e:
            report.failed += 1
            report.failures.append(e.detail)
            await self.outbox.settle(ids, chat_id, thread, slot, failed=e.detail)
            return
        await self.outbox.settle(ids, chat_id, thread, slot)
        report.sent += 1
        report.messages += sum(not p.sent for p in parts)

    async def _chat_messages(self, chat_id: int, shared: SharedRender, headlines: list[str]
                             ) -> tuple[list[str], str]:
        """The shared article with this chat's headline and "since the last digest" section."""
        flavour = self.service.flavour
        messages = list(shared.post.messages)
        phrase = reheadline(shared.post, shared.analysis, chat_id, headlines, shared.view)
        old = shared.headline_markup
        new = (phrase.html if flavour == "html" else phrase.text) if phrase else old
        swapped = messages[0].replace(old, new, 1)
        if phrase is not None and old in messages[0] and utf16_len(swapped) <= MESSAGE_LIMIT:
            messages[0], headline = swapped, phrase.text
        else:  # no headline fits the shared body or its message: this chat's own render
            own = await asyncio.to_thread(render_article, shared.analysis, chat_id=chat_id,
                                          flavour=flavour, recent_headlines=headlines)
            messages, headline = list(own.messages), own.headline
        previous = await self.store.last_digest(chat_id, shared.analysis.symbol)
        section = since_last(shared.analysis.symbol, previous, shared.metrics)
        if section is not None:
            timezone = ZoneInfo(await self.store.timezone(chat_id))
            text = render_template("schedule/since_last.j2", flavour, s=section,
                                   local_previous=section.previous_slot.astimezone(timezone))
            joined = messages[0] + "\n\n" + text
            if utf16_len(joined) <= MESSAGE_LIMIT:
                messages[0] = joined
            else:
                messages.insert(1, text)
        return messages, headline

    async def _buttons(self, post_id: int | None) -> PostButtons | None:
        """The buttons of stored post ``post_id`` (none for a post no longer stored)."""
        if post_id is None or post_id == UNSTORED_POST:
            return None
        if post_id not in self._buttons_of:  # a re-send after a restart: the stored post
            stored = await self.service.stored(post_id)
            self._buttons_of[post_id] = None if stored is None else digest_buttons(
                post_id, stored.analysis,
                related_questions(build_view(stored.analysis), self.service.flavour))
        return self._buttons_of[post_id]

    async def _link(self, chat_id: int, message_id: int | None, part: OutboxPart,
                    parts: Sequence[OutboxPart]) -> None:
        """Link a sent message to its post (its part within that post's article)."""
        if message_id is None or part.post_id is None or part.post_id == UNSTORED_POST:
            return
        first = next(p.part for p in parts if p.post_id == part.post_id)
        try:
            await self.service.storage.link_message(chat_id, message_id, part.post_id,
                                                    part=part.part - first, view=DIGEST_VIEW)
        except StorageError as e:  # costs the message its buttons, never the digest
            log.warning("digest message %d not linked to its post: %s", message_id, e)

    async def _send(self, chat_id: int, thread_id: int | None, text: str,
                    buttons: PostButtons | None, report: FanoutReport
                    ) -> tuple[int, int | None]:
        """Send one message; the chat's id after any move (subscriptions follow it) and the
        sent message's id."""
        for _ in range(MOVES_FOLLOWED + 1):
            try:
                message_id = await self.sender.send(chat_id, thread_id, text, buttons)
                return chat_id, message_id
            except ChatMovedError as e:
                log.info("chat %d migrated to %d; subscriptions follow", chat_id,
                         e.new_chat_id)
                await self.store.migrate_chat(chat_id, e.new_chat_id)
                report.migrated += 1
                chat_id = e.new_chat_id
            except ChatBlockedError as e:
                paused = await self.store.pause_chat(chat_id, FORBIDDEN)
                report.paused += paused
                log.warning("chat %d refuses the bot (%s): %d subscriptions paused",
                            chat_id, e.detail, paused)
                raise DeliveryFailed(f"forbidden: {e.detail}") from e
            except DeliveryError as e:
                log.warning("digest to chat %d refused: %s", chat_id, e.detail)
                raise DeliveryFailed(e.detail) from e
        raise DeliveryFailed("the chat kept moving")


def digest_buttons(post_id: int, analysis: Analysis,
                   related: tuple[RelatedQuestion, ...]) -> PostButtons:
    """A digest's buttons: its related questions and "🔔 Alert me" for the levels it names."""
    return PostButtons(post_id, DIGEST_VIEW, related, analysis.symbol,
                       alert_levels(analysis, DIGEST_VIEW))
