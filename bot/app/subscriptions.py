"""Managing scheduled digests: subscribe, time zone, list, unsubscribe, pause and resume.

Each use case returns a :class:`Reply` — a reply code of ``templates/telegram/subscriptions.j2``
and what its template needs — and changes nothing stored when the input is bad. Whoever
keeps the timer (PTB's JobQueue) passes ``on_change`` to rebuild its jobs after a change.
Who may change a chat's subscriptions (administrators) is the transport's check.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.app.digest_runner import DigestRunner
from bot.app.requests import MAX_ID_DIGITS, Destination, Reply
from bot.errors import BadArgumentError, UnknownSymbolError
from bot.scheduling.args import split_schedule_words
from bot.scheduling.schedule import parse_schedule
from bot.scheduling.timezones import parse_timezone
from bot.storage.subscriptions import Subscription, SubscriptionStore
from bot.symbols import SymbolResolver


def _reply(what: str, **values: Any) -> Reply:
    return Reply(what, values)


class SubscriptionDesk:
    """The subscription use cases over one store, one symbol resolver and one runner."""

    def __init__(self, runner: DigestRunner, symbols: SymbolResolver,
                 on_change: Callable[[], Awaitable[object]]) -> None:
        self.runner = runner
        self.symbols = symbols
        self.settings = runner.service.settings
        self.store: SubscriptionStore = runner.store
        self.on_change = on_change
        #: serialises check-then-write changes (concurrent /subscribe must not pass the cap)
        self._lock = asyncio.Lock()

    def listing(self, subs: Sequence[Subscription]) -> list[dict[str, Any]]:
        """Each subscription with its next run in its chat's zone (none while paused)."""
        next_runs = self.runner.next_runs(s for s in subs if not s.paused)
        return [{"sub": s, "next_run": next_runs.get(s.id)} for s in subs]

    def _schedule_like(self, word: str) -> bool:
        """A word no coin is spelled like: no letter at all, or a digit first ("4h", "8am")."""
        if any(c.isalpha() for c in word) and not word[:1].isdigit():
            return False
        if self.symbols.is_known_coin(word):  # "1inch"
            return False
        try:
            self.symbols.resolve(word)
        except UnknownSymbolError:
            return True
        return False

    def _zone_of(self, words: Sequence[str]) -> tuple[tuple[str, ...], ZoneInfo | None]:
        """``words`` without a trailing city or offset naming a time zone ("istanbul",
        "new york", "utc+3"), and that zone; coins always win over zones."""
        if words and words[-1].lower() == "time":  # "8am berlin time"
            words = words[:-1]
        for start in range(max(0, len(words) - 3), len(words)):
            tail = words[start:]
            if any(self._is_coin(w) for w in tail):
                continue
            try:
                return tuple(words[:start]), parse_timezone(" ".join(tail))
            except BadArgumentError:
                continue
        return tuple(words), None

    def _is_coin(self, word: str) -> bool:
        try:
            self.symbols.resolve(word)
        except UnknownSymbolError as e:
            return self.symbols.is_known_coin(word) or e.suggestion is not None
        return True

    async def subscribe(self, to: Destination, words: Sequence[str], update_id: int) -> Reply:
        """Digests of the coins in ``words`` on the schedule in ``words`` (config defaults);
        a city or offset at the end sets the chat's time zone too."""
        try:
            coins, schedule = split_schedule_words(words)
            coins, zone = self._zone_of(coins)
            if zone is not None:
                await self.store.set_timezone(to.chat_id, to.kind, zone.key)
            stray = [w for w in coins if self._schedule_like(w)]
            if schedule is None and stray:  # "* * *", "0 8 * *", "4h": a schedule, not coins
                parse_schedule(" ".join(coins[coins.index(stray[0]):]))
            schedule = schedule or parse_schedule(self.settings.schedule.default)
            names = [name for word in coins for name in word.split(",") if name]
            symbols = tuple(dict.fromkeys(self.symbols.resolve(name) for name in names))
        except BadArgumentError as e:
            return _reply("bad_argument", error=e)
        except UnknownSymbolError as e:
            return _reply("unknown_symbol", symbol=e.symbol, suggestion=e.suggestion,
                          venue=e.venue, symbols=self.settings.symbol_names)
        symbols = symbols or (self.settings.symbol_names[0],)
        async with self._lock:
            existing = await self.store.of_chat(to.chat_id)
            same = [s for s in existing if (s.symbols, s.schedule, s.thread_id)
                    == (symbols, schedule.text, to.thread_id)]
            if same:
                [row] = self.listing(same[:1])
                # the same update handled again after a crash: answer as the first time would
                again = same[0].update_id == update_id
                return _reply("subscribed" if again else "already", entry=row)
            cap = self.settings.schedule.max_subscriptions_per_chat
            if len(existing) >= cap:
                return _reply("too_many", cap=cap)
            await self.store.ensure_chat(to.chat_id, to.kind)
            sub_id = await self.store.add(to.chat_id, to.thread_id, symbols, schedule.text,
                                          update_id=update_id)
        await self.on_change()
        sub = await self.store.get(sub_id)
        assert sub is not None
        [row] = self.listing((sub,))
        return _reply("subscribed", entry=row)

    async def timezone(self, chat_id: int) -> Reply:
        """The chat's time zone."""
        return _reply("timezone", zone=await self.store.timezone(chat_id))

    async def set_timezone(self, to: Destination, text: str) -> Reply:
        """Set the chat's IANA time zone (DST-safe) and show the next runs in it."""
        try:
            zone = parse_timezone(text)
        except BadArgumentError as e:
            return _reply("bad_argument", error=e)
        await self.store.set_timezone(to.chat_id, to.kind, zone.key)
        await self.on_change()
        rows = self.listing(await self.store.of_chat(to.chat_id))
        return _reply("timezone_set", zone=zone.key, rows=rows)

    async def subscriptions(self, chat_id: int) -> Reply:
        """The chat's subscriptions, each with its next run."""
        rows = self.listing(await self.store.of_chat(chat_id))
        return _reply("list", rows=rows, zone=await self.store.timezone(chat_id))

    async def unsubscribe(self, chat_id: int, arg: str | None) -> Reply:
        """Drop one subscription (the only one when no id is given) or ``all``."""
        subs = await self.store.of_chat(chat_id)
        if not subs:
            return _reply("none")
        if arg is not None and arg.lower() == "all":
            removed = await self.store.remove(chat_id)
            await self.on_change()
            return _reply("unsubscribed_all", count=removed)
        if arg is None and len(subs) > 1:
            return _reply("which", rows=self.listing(subs))
        wanted = arg.lstrip("#") if arg is not None else str(subs[0].id)
        number = int(wanted) if wanted.isdecimal() and len(wanted) <= MAX_ID_DIGITS else None
        match = [s for s in subs if s.id == number]
        if not match:
            return _reply("unknown_id", value=arg, ids=[s.id for s in subs])
        await self.store.remove(chat_id, match[0].id)
        await self.on_change()
        return _reply("unsubscribed", sub=match[0])

    async def pause(self, chat_id: int, paused: bool) -> Reply:
        """Hold (``paused``) or restart every digest of the chat; nothing is deleted."""
        subs = await self.store.of_chat(chat_id)
        if not subs:
            return _reply("none")
        if all(s.paused == paused for s in subs):
            return _reply("already_paused" if paused else "already_running",
                          rows=self.listing(subs))
        await self.store.pause_chat(chat_id, "paused" if paused else None)
        await self.on_change()
        rows = self.listing(await self.store.of_chat(chat_id))
        return _reply("paused" if paused else "resumed", rows=rows)
