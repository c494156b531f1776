"""SQL for the whale watcher: the addresses chats added (``/whalewatch``) and the positions
last seen, so a restart diffs against what was already announced. Reached as
``Storage.whales``.

``scope`` is ``tracked`` (an address polled directly: its full position list) or ``top``
(the ranked top list of the whale snapshots, stored under :data:`WHOLE_LIST`). An address
(or the list) with no ``whale_seen`` row was never observed: its first observation is a
baseline, not events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.storage.engine import Connection
from bot.storage.faults import write, write_many
from bot.storage.timestamps import from_iso, to_iso

Scope = Literal["tracked", "top"]
#: ``whale_seen.address`` of the ranked list as a whole
WHOLE_LIST = "*"


@dataclass(frozen=True, slots=True)
class WatchedAddress:
    """An address a chat added to the watch list."""

    chat_id: int
    address: str
    label: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WhaleHolding:
    """One position as last seen: its side, size (coins) and value (USD)."""

    address: str
    coin: str
    side: str
    size: float
    notional_usd: float
    label: str | None = None
    leverage: float | None = None


class WhaleStore:
    """Queries on ``whale_addresses``, ``whale_seen`` and ``whale_holdings``."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def add_address(self, chat_id: int, address: str, label: str | None,
                          now: datetime) -> bool:
        """Watch ``address`` for the chat; ``False`` when it already did (label kept)."""
        return await write(self._conn, "cannot store watched address",
                           "INSERT INTO whale_addresses (chat_id, address, label, created_at) "
                           "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, address) DO NOTHING",
                           (chat_id, address, label, to_iso(now))) > 0

    async def remove_address(self, chat_id: int, address: str) -> bool:
        """Stop watching ``address`` for the chat; whether it was watched."""
        return await write(self._conn, "cannot delete watched address",
                           "DELETE FROM whale_addresses WHERE chat_id = ? AND address = ?",
                           (chat_id, address)) > 0

    async def addresses_of(self, chat_id: int) -> list[WatchedAddress]:
        """The chat's watched addresses, oldest first."""
        return await self._watched("WHERE chat_id = ?", (chat_id,))

    async def watched(self) -> list[WatchedAddress]:
        """Every chat's watched addresses."""
        return await self._watched("", ())

    async def _watched(self, where: str, params: Sequence[Any]) -> list[WatchedAddress]:
        rows = await self._rows("SELECT chat_id, address, label, created_at FROM "
                                f"whale_addresses {where} ORDER BY created_at, address", params)
        return [WatchedAddress(int(r[0]), str(r[1]), None if r[2] is None else str(r[2]),
                               from_iso(r[3])) for r in rows]

    async def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """Watched addresses follow a chat that moved (group → supergroup)."""
        await write_many(self._conn, "cannot move watched addresses", [
            ("DELETE FROM whale_addresses WHERE chat_id = ? AND address IN "
             "(SELECT address FROM whale_addresses WHERE chat_id = ?)",
             (old_chat_id, new_chat_id))])
        return await write(self._conn, "cannot move watched addresses",
                           "UPDATE whale_addresses SET chat_id = ? WHERE chat_id = ?",
                           (new_chat_id, old_chat_id))

    async def seen(self, scope: Scope) -> dict[str, datetime]:
        """When each address (or :data:`WHOLE_LIST`) of ``scope`` was last observed."""
        rows = await self._rows("SELECT address, observed_at FROM whale_seen WHERE scope = ?",
                                (scope,))
        return {str(r[0]): from_iso(r[1]) for r in rows}

    async def holdings(self, scope: Scope) -> list[WhaleHolding]:
        """The positions of ``scope`` as last seen."""
        rows = await self._rows(
            "SELECT address, coin, side, size, notional_usd, label, leverage FROM "
            "whale_holdings WHERE scope = ? ORDER BY address, coin", (scope,))
        return [WhaleHolding(str(r[0]), str(r[1]), str(r[2]), float(r[3]), float(r[4]),
                             None if r[5] is None else str(r[5]),
                             None if r[6] is None else float(r[6])) for r in rows]

    async def record(self, scope: Scope, observed: Mapping[str, Sequence[WhaleHolding]],
                     at: datetime) -> None:
        """Replace the holdings of each observed address (``WHOLE_LIST``: the whole scope)
        and mark it seen at ``at``, in one transaction."""
        statements: list[tuple[str, Sequence[Any]]] = []
        for address, held in observed.items():
            if address == WHOLE_LIST:
                statements.append(("DELETE FROM whale_holdings WHERE scope = ?", (scope,)))
            else:
                statements.append(("DELETE FROM whale_holdings WHERE scope = ? AND "
                                   "address = ?", (scope, address)))
            statements.extend(
                ("INSERT INTO whale_holdings (scope, address, coin, side, size, "
                 "notional_usd, label, leverage) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (scope, address, coin) DO NOTHING",
                 (scope, h.address, h.coin, h.side, h.size, h.notional_usd, h.label,
                  h.leverage)) for h in held)
            statements.append((
                "INSERT INTO whale_seen (scope, address, observed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, address) DO UPDATE SET observed_at = excluded.observed_at",
                (scope, address, to_iso(at))))
        if statements:
            await write_many(self._conn, "cannot record whale positions", statements)

    async def forget(self, scope: Scope, address: str) -> None:
        """Drop what was seen of ``address`` (watched again later, it starts a new
        baseline)."""
        await write_many(self._conn, "cannot forget whale positions", [
            ("DELETE FROM whale_holdings WHERE scope = ? AND address = ?", (scope, address)),
            ("DELETE FROM whale_seen WHERE scope = ? AND address = ?", (scope, address))])
