"""Whale watcher use cases: ``/whalewatch`` (the addresses a chat watches) and
``/whalealerts`` (the chat's opt-in to the ``whales`` feed).

Each returns a :class:`bot.app.requests.Reply` of ``templates/telegram/whales.j2`` and
stores nothing when the input is bad. The round that finds and sends events is
:mod:`bot.app.whale_round`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bot.alerts.rules import parse_number
from bot.app.requests import Destination, Reply
from bot.app.service import MarketService
from bot.app.whale_round import FEED
from bot.market.source import WhaleWatching

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
#: longest label kept for an address
LABEL_CHARS = 40


def parse_address(word: str) -> str | None:
    """A Hyperliquid address (``0x`` and 40 hex digits) in lower case, else ``None``."""
    word = word.strip()
    return word.lower() if _ADDRESS.fullmatch(word) else None


def parse_min_usd(word: str) -> float | None:
    """``5m``, ``$250k``, ``1000000`` or ``0`` as USD, else ``None``."""
    return 0.0 if word.strip() in ("0", "$0") else parse_number(word)


class WhaleDesk:
    """The whale commands over one market service (its storage and settings)."""

    def __init__(self, service: MarketService,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.service = service
        self.settings = service.settings.whales
        self.clock = clock

    async def watch(self, to: Destination, args: Sequence[str]) -> Reply:
        """``/whalewatch``: list; ``add ADDRESS [label]``; ``remove ADDRESS``."""
        if not args:
            return await self.listing(to.chat_id)
        verb = args[0].lower()
        if verb not in ("add", "remove", "rm", "delete"):
            return Reply("bad_argument", {"value": args[0], "reason": "verb"})
        if len(args) < 2:
            return Reply("bad_argument", {"value": "", "reason": "no_address", "verb": verb})
        address = parse_address(args[1])
        if address is None:
            return Reply("bad_argument", {"value": args[1], "reason": "address"})
        if verb != "add":
            removed = await self.service.storage.whales.remove_address(to.chat_id, address)
            return Reply("removed" if removed else "not_watched", {"address": address})
        label = " ".join(args[2:]).strip()[:LABEL_CHARS] or None
        return await self._add(to, address, label)

    async def _add(self, to: Destination, address: str, label: str | None) -> Reply:
        store = self.service.storage.whales
        configured = {w.address: w.label for w in self.settings.tracked}
        if address in configured:
            return Reply("configured", {"address": address, "label": configured[address]})
        mine = await store.addresses_of(to.chat_id)
        if any(w.address == address for w in mine):
            return Reply("already", {"address": address})
        if len(mine) >= self.settings.watch.max_per_chat:
            return Reply("too_many", {"cap": self.settings.watch.max_per_chat})
        await store.add_address(to.chat_id, address, label, self.clock())
        subscribed = any(s.feed == FEED for s in
                         await self.service.storage.feeds.of_chat(to.chat_id))
        return Reply("added", {"address": address, "label": label, "subscribed": subscribed,
                               "poll": self.settings.watch.poll_seconds})

    async def listing(self, chat_id: int) -> Reply:
        """The addresses watched for every chat (configured) and for this one."""
        subs = [s for s in await self.service.storage.feeds.of_chat(chat_id) if s.feed == FEED]
        return Reply("list", {
            "configured": self.settings.tracked,
            "added": await self.service.storage.whales.addresses_of(chat_id),
            "subscription": subs[0] if subs else None,
            "cap": self.settings.watch.max_per_chat})

    async def alerts(self, to: Destination, args: Sequence[str]) -> Reply:
        """``/whalealerts on [min USD]``, ``off``; without arguments, the chat's setting."""
        feeds = self.service.storage.feeds
        if not args:
            subs = [s for s in await feeds.of_chat(to.chat_id) if s.feed == FEED]
            return Reply("feed_state", {"subscription": subs[0] if subs else None,
                                        "default": self.settings.watch.default_min_usd})
        verb = args[0].lower()
        if verb == "off":
            return Reply("feed_off" if await feeds.unsubscribe(to.chat_id, FEED)
                         else "feed_was_off", {})
        if verb != "on" or len(args) > 2:
            return Reply("bad_feed", {"value": " ".join(args)})
        min_usd = self.settings.watch.default_min_usd
        if len(args) == 2:
            parsed = parse_min_usd(args[1])
            if parsed is None:
                return Reply("bad_feed", {"value": args[1], "reason": "amount"})
            min_usd = parsed
        paused = await feeds.resume_chat(to.chat_id)
        await feeds.subscribe(to.chat_id, to.thread_id, FEED, min_usd, self.clock())
        return Reply("feed_on", {"min_usd": min_usd, "paused": paused,
                                 "floor": self.settings.watch.min_notional_usd,
                                 "watched": len(await self._addresses(to.chat_id)),
                                 "watching": isinstance(self.service.source, WhaleWatching)})

    async def _addresses(self, chat_id: int) -> list[str]:
        configured = [w.address for w in self.settings.tracked]
        added = [w.address for w in await self.service.storage.whales.addresses_of(chat_id)]
        return list(dict.fromkeys([*configured, *added]))
