"""The scheduler lease on PostgreSQL: one leader at a time, the next takes over at once."""

from __future__ import annotations

import asyncio
import time

from bot.storage import Storage
from bot.storage.leader import AdvisoryLeader, SoleLeader, leadership_for
from tests.fakes.pg_server import PostgresServer


async def test_one_process_leads_and_another_takes_over_within_one_interval(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.create_database("lease")
    await (await Storage.open(url)).close()  # the schema (meta) exists
    changes: list[tuple[str, bool]] = []
    first = AdvisoryLeader(url, "host-a:1", interval=0.2)
    second = AdvisoryLeader(url, "host-b:2", interval=0.2)

    async def note(name: str, leading: bool) -> None:
        changes.append((name, leading))

    await first.start(lambda leading: note("a", leading))
    await second.start(lambda leading: note("b", leading))
    try:
        await asyncio.sleep(0.5)
        before = (first.is_leader, second.is_leader, await second.leader_name())
        await first.stop()  # gives the lease up, as a dying process's connection does
        stopped = time.perf_counter()
        while not second.is_leader and time.perf_counter() - stopped < 5:
            await asyncio.sleep(0.01)
        takeover = time.perf_counter() - stopped
        after = (second.is_leader, await second.leader_name())
    finally:
        await first.stop()
        await second.stop()
    assert before == (True, False, "host-a:1")
    assert after == (True, "host-b:2")
    assert takeover < 0.2 + 0.15  # one interval, plus scheduling slack
    assert changes == [("a", True), ("b", True)]


def test_sqlite_means_one_process_always_leading() -> None:
    sole = leadership_for("/var/bot.sqlite3", "host:1")
    assert isinstance(sole, SoleLeader) and sole.is_leader and sole.name == "host:1"
    assert isinstance(leadership_for("postgresql://db/bot"), AdvisoryLeader)
