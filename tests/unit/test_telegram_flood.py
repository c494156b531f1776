"""Flood control: a few heavy replies in flight per user, one polite "one moment"."""

from __future__ import annotations

import asyncio

from bot.config import Settings
from bot.market.demo import DemoSource
from bot.telegram.flood import FloodGuard, Verdict
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import harness


async def test_third_heavy_request_waits_while_two_are_in_flight() -> None:
    guard = FloodGuard(max_in_flight=2)
    async with guard.heavy(1) as a, guard.heavy(1) as b, guard.heavy(1) as c:
        assert (a, b, c) == (Verdict.GO, Verdict.GO, Verdict.WARN)
        async with guard.heavy(1) as d, guard.heavy(2) as other_user:
            assert d is Verdict.SILENT
            assert other_user is Verdict.GO
    assert guard.in_flight(1) == 0
    async with guard.heavy(1) as again:
        assert again is Verdict.GO


def test_request_rate_is_bounded_per_window_and_recovers() -> None:
    now = [0.0]
    guard = FloodGuard(max_requests=3, window_seconds=10, clock=lambda: now[0])
    assert [guard.admit(1) for _ in range(3)] == [Verdict.GO] * 3
    assert guard.admit(1) is Verdict.WARN
    assert guard.admit(1) is Verdict.SILENT
    assert guard.admit(2) is Verdict.GO
    now[0] = 10.5
    assert guard.admit(1) is Verdict.GO


async def test_user_flooding_heavy_commands_gets_one_moment_once(settings: Settings) -> None:
    source = FlakySource(DemoSource(settings))
    source.gate = asyncio.Event()
    async with harness(settings, source) as h:
        tasks = [asyncio.create_task(h.send("/digest")) for _ in range(5)]
        while len(source.calls) < 2:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        source.gate.set()
        await asyncio.gather(*tasks)
        texts = [c.params["text"] for c in h.request.sent("sendMessage")]
        fetched = len(source.calls)
        other = await h.send("/btc", chat_id=9)
    assert sum("One moment" in t for t in texts) == 1
    assert fetched == 2
    assert "BTC" in other[0].params["text"]


async def test_rapid_fire_commands_beyond_the_window_get_one_polite_refusal(
    settings: Settings,
) -> None:
    async with harness(settings, FlakySource(DemoSource(settings))) as h:
        limit = h.app.bot_data["market_service"].flood.max_requests
        for _ in range(limit):
            await h.send("/btc")
        refused = await h.send("/btc")
        ignored = await h.send("/btc")
        other_user = await h.send("/btc", chat_id=6)
    assert [c.params["text"] for c in refused] == [
        "That's a lot of requests in a short time — give me half a minute, then ask again."]
    assert ignored == []
    assert "BTC" in other_user[0].params["text"]


async def test_idle_users_and_chats_are_forgotten_after_a_window() -> None:
    now = [0.0]
    guard = FloodGuard(max_requests=1, max_in_flight=1, window_seconds=10, clock=lambda: now[0])
    for user in range(1, 501):
        guard.admit(user, chat_id=-user)
        guard.admit(user, chat_id=-user)  # over the limit: a "slow down" is remembered too
        async with guard.heavy(user):
            pass
    assert guard.tracked() >= 1000
    now[0] = 10.5
    assert guard.admit(9999) is Verdict.GO
    assert guard.tracked() == 1
