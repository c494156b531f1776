"""Price alert use cases: create (``/alert``), list (``/alerts``) and delete (``/unalert``).

Each returns a :class:`bot.app.requests.Reply` — a reply code of
``templates/telegram/alerts.j2`` and what it shows — and stores nothing when the input is
bad. Creating reads the symbol's shared snapshot (the source's cache: no request of its
own when one is fresh) for the current price: a bare level's side is inferred from it, and a
level already reached is refused rather than fired at once. Times are market time (the
snapshot's ``as_of``), so the same code runs on live, demo and replayed data. The evaluation
round is :mod:`bot.app.alert_round`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.alerts.rules import (
    AlertRequest,
    AlertRule,
    AlreadyThereError,
    Kind,
    make_rule,
    parse_alert,
)
from bot.app.requests import MAX_ID_DIGITS, Destination, Reply
from bot.app.service import MarketService
from bot.errors import BadArgumentError, DataError, UnknownSymbolError, VenueError
from bot.storage.alerts import AlertRecord, AlertStore, NewAlert

_KINDS: dict[str, Kind] = {"above": "above", "below": "below", "move": "move"}


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request checked against the market: its symbol, the price and time, the rule."""

    symbol: str
    price: float
    as_of: datetime
    rule: AlertRule


def rule_of(alert: AlertRecord) -> AlertRule:
    """The domain rule of a stored alert."""
    kind = _KINDS.get(alert.kind, "above")
    return AlertRule(kind, alert.level, alert.pct, alert.rearm_pct, alert.expires_at,
                     alert.inferred)


def _same(existing: Sequence[AlertRecord], prepared: Prepared) -> AlertRecord | None:
    """An existing alert on the same level (move alerts are never the same: "from now")."""
    rule = prepared.rule
    for alert in existing:
        if rule.kind != "move" and (alert.symbol, alert.kind, alert.level) == (
                prepared.symbol, rule.kind, rule.level):
            return alert
    return None


class AlertDesk:
    """The alert use cases over one market service (its source, storage and settings)."""

    def __init__(self, service: MarketService) -> None:
        self.service = service
        self.settings = service.settings.alerts
        self.store: AlertStore = service.storage.alerts
        #: serialises check-then-write (concurrent /alert must not pass the cap); held only
        #: around the database, never around a venue request
        self._lock = asyncio.Lock()

    async def create(self, to: Destination, words: Sequence[str], update_id: int) -> Reply:
        """An alert from ``words`` (``btc above 81000``, ``eth below 2.5k``, ``sol 5%``,
        ``btc 81k``, optionally ``for 24h``) for the chat ``to``."""
        try:
            request = parse_alert(words)
        except BadArgumentError as e:
            return Reply("bad_argument", {"error": e})
        return await self.create_request(to, request, update_id)

    async def preview(self, chat_id: int, request: AlertRequest) -> Reply:
        """What ``request`` (asked in plain words) would set in the chat, to confirm with a
        tap (``confirm``), or why it cannot be set."""
        prepared = await self._prepare(request)
        if isinstance(prepared, Reply):
            return prepared
        same = _same(await self.store.of_chat(chat_id), prepared)
        if same is not None:
            return Reply("duplicate", {"alert": same, "price": prepared.price})
        return Reply("confirm", {"symbol": prepared.symbol, "wanted": prepared.rule,
                                 "price": prepared.price,
                                 "expires_seconds": request.expires_in.total_seconds()
                                 if request.expires_in is not None else None})

    async def _prepare(self, request: AlertRequest) -> Reply | Prepared:
        """The symbol, current price and rule of ``request``, or the reply refusing it."""
        try:
            symbol = self.service.symbols.resolve(request.coin)
        except UnknownSymbolError as e:
            return Reply("unknown_symbol", {"symbol": e.symbol, "suggestion": e.suggestion,
                                            "venue": e.venue})
        try:
            snapshot = await self.service.source.snapshot(symbol)
        except (VenueError, DataError) as e:
            e.about(symbol)
            raise
        price = snapshot.last_price
        if price is None:
            return Reply("no_price", {"symbol": symbol})
        try:
            rule = make_rule(request, price, snapshot.as_of, self.settings.rearm_pct)
        except AlreadyThereError as e:
            return Reply("already_there", {"symbol": symbol, "kind": e.kind,
                                           "level": e.level, "price": price})
        return Prepared(symbol, price, snapshot.as_of, rule)

    async def create_request(self, to: Destination, request: AlertRequest, update_id: int
                             ) -> Reply:
        """Store the alert ``request`` asks for (typed or confirmed with a tap)."""
        again = await self.store.by_update(to.chat_id, update_id)
        if again is not None:  # the same update handled again after a crash
            return Reply("created", {"alert": again, "price": None})
        if len(await self.store.of_chat(to.chat_id)) >= self.settings.max_per_chat:
            return Reply("too_many", {"cap": self.settings.max_per_chat})
        prepared = await self._prepare(request)  # a venue request: outside the lock
        if isinstance(prepared, Reply):
            return prepared
        async with self._lock:
            existing = await self.store.of_chat(to.chat_id)
            if len(existing) >= self.settings.max_per_chat:
                return Reply("too_many", {"cap": self.settings.max_per_chat})
            symbol, rule = prepared.symbol, prepared.rule
            same = _same(existing, prepared)
            if same is not None:
                return Reply("duplicate", {"alert": same, "price": prepared.price})
            alert_id = await self.store.add(NewAlert(
                to.chat_id, to.thread_id, symbol, rule.kind, rule.level, rule.pct,
                rule.rearm_pct, rule.inferred, prepared.as_of, rule.expires_at, update_id))
        alert = await self.store.get(alert_id)
        return Reply("created", {"alert": alert, "price": prepared.price})

    async def alerts(self, chat_id: int) -> Reply:
        """The chat's active alerts; a chat paused because it blocked the bot is back (its
        alerts and feeds resume, and the reply says so)."""
        paused = await self.service.storage.feeds.resume_chat(chat_id)
        return Reply("list", {"alerts": await self.store.of_chat(chat_id),
                              "cap": self.settings.max_per_chat, "paused": paused})

    async def delete(self, chat_id: int, arg: str | None) -> Reply:
        """Delete one alert (the only one when no id is given) or ``all``."""
        alerts = await self.store.of_chat(chat_id)
        if not alerts:
            return Reply("none", {})
        if arg is not None and arg.lower() == "all":
            return Reply("deleted_all", {"count": await self.store.remove(chat_id)})
        if arg is None and len(alerts) > 1:
            return Reply("which", {"alerts": alerts})
        wanted = arg.lstrip("#") if arg is not None else str(alerts[0].id)
        number = int(wanted) if wanted.isdecimal() and len(wanted) <= MAX_ID_DIGITS else None
        match = [a for a in alerts if a.id == number]
        if not match:
            return Reply("unknown_id", {"value": arg, "ids": [a.id for a in alerts]})
        await self.store.remove(chat_id, match[0].id)
        return Reply("deleted", {"alert": match[0]})
