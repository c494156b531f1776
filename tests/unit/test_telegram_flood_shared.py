"""Several processes, one flood budget: request counts shared through the database."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.storage import Storage
from bot.telegram.flood import FloodGuard, Verdict
from bot.telegram.flood_sharing import share_once

USER, GROUP = 501, -100_500


async def test_a_user_spread_over_two_processes_meets_one_budget(database: str) -> None:
    clock = [1_000.0]
    first = FloodGuard(max_requests=6, window_seconds=30, clock=lambda: clock[0])
    second = FloodGuard(max_requests=6, window_seconds=30, clock=lambda: clock[0])
    storage = await Storage.open(database)
    try:
        first_verdicts = [first.admit(USER, GROUP) for _ in range(4)]
        second_verdicts = [second.admit(USER, GROUP) for _ in range(1)]
        now = datetime.now(UTC)
        await share_once(first, storage.flood, "host-a:1", now)
        await share_once(second, storage.flood, "host-b:2", now)
        await share_once(first, storage.flood, "host-a:1", now)
        over = [second.admit(USER, GROUP), second.admit(USER, GROUP)]
        other_user = second.admit(USER + 1, GROUP)
        clock[0] += 31  # the window passed: both processes publish empty counts
        await share_once(first, storage.flood, "host-a:1", now)
        await share_once(second, storage.flood, "host-b:2", now)
        again = second.admit(USER, GROUP)
    finally:
        await storage.close()
    assert first_verdicts == [Verdict.GO] * 4 and second_verdicts == [Verdict.GO]
    assert over == [Verdict.GO, Verdict.WARN]  # 4 + 1 seen elsewhere + 1 here = 6: full
    assert other_user is Verdict.GO
    assert again is Verdict.GO


async def test_a_process_alone_is_judged_by_its_own_counts(database: str) -> None:
    guard = FloodGuard(max_requests=2, window_seconds=30)
    storage = await Storage.open(database)
    try:
        await share_once(guard, storage.flood, "host-a:1")
        verdicts = [guard.admit(USER) for _ in range(3)]
    finally:
        await storage.close()
    assert verdicts == [Verdict.GO, Verdict.GO, Verdict.WARN]
