"""TTL cache: fresh values reused, concurrent callers share one fetch, stale served on errors."""

from __future__ import annotations

import asyncio

import pytest

from bot.errors import VenueNetworkError, VenueSymbolError
from bot.market.cache import TtlCache


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Upstream:
    """A fetch that counts its calls and returns or raises what the test sets."""

    def __init__(self) -> None:
        self.calls = 0
        self.value = 1.0
        self.error: Exception | None = None
        self.gate: asyncio.Event | None = None

    async def __call__(self) -> float:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        return self.value


async def test_a_fresh_value_is_reused_until_its_ttl_expires() -> None:
    clock, upstream = Clock(), Upstream()
    cache = TtlCache(stale_max_seconds=600, clock=clock)
    first = await cache.get(("okx", "oi", "BTC"), 60, upstream)
    clock.now += 59
    second = await cache.get(("okx", "oi", "BTC"), 60, upstream)
    assert (upstream.calls, first.value, second.value) == (1, 1.0, 1.0)
    assert second.age_seconds == 59 and not second.stale
    clock.now += 2
    upstream.value = 2.0
    third = await cache.get(("okx", "oi", "BTC"), 60, upstream)
    assert (upstream.calls, third.value, third.age_seconds) == (2, 2.0, 0.0)


async def test_keys_are_cached_separately() -> None:
    upstream = Upstream()
    cache = TtlCache(stale_max_seconds=600, clock=Clock())
    await cache.get(("okx", "oi", "BTC"), 60, upstream)
    await cache.get(("okx", "oi", "ETH"), 60, upstream)
    await cache.get(("bybit", "oi", "BTC"), 60, upstream)
    assert upstream.calls == 3


async def test_concurrent_callers_share_one_upstream_call() -> None:
    upstream = Upstream()
    upstream.gate = asyncio.Event()
    cache = TtlCache(stale_max_seconds=600, clock=Clock())
    waiters = [asyncio.create_task(cache.get("k", 60, upstream)) for _ in range(500)]
    await asyncio.sleep(0)
    upstream.gate.set()
    results = await asyncio.gather(*waiters)
    assert upstream.calls == 1 == cache.upstream_calls
    assert {r.value for r in results} == {1.0}


async def test_a_caller_giving_up_does_not_cancel_the_shared_fetch() -> None:
    upstream = Upstream()
    upstream.gate = asyncio.Event()
    cache = TtlCache(stale_max_seconds=600, clock=Clock())
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(cache.get("k", 60, upstream), 0.01)
    upstream.gate.set()
    later = await cache.get("k", 60, upstream)
    assert (later.value, upstream.calls) == (1.0, 1)


async def test_the_last_good_value_is_served_stale_while_the_venue_errs() -> None:
    clock, upstream = Clock(), Upstream()
    cache = TtlCache(stale_max_seconds=600, clock=clock)
    await cache.get("k", 60, upstream)
    clock.now += 120
    upstream.error = VenueNetworkError("okx", "unreachable")
    stale = await cache.get("k", 60, upstream)
    assert (stale.value, stale.stale, stale.age_seconds) == (1.0, True, 120)
    assert isinstance(stale.error, VenueNetworkError)


async def test_values_older_than_the_stale_limit_are_not_served() -> None:
    clock, upstream = Clock(), Upstream()
    cache = TtlCache(stale_max_seconds=600, clock=clock)
    await cache.get("k", 60, upstream)
    clock.now += 601
    upstream.error = VenueNetworkError("okx", "unreachable")
    with pytest.raises(VenueNetworkError):
        await cache.get("k", 60, upstream)


async def test_a_permanent_error_is_remembered_for_one_ttl() -> None:
    clock, upstream = Clock(), Upstream()
    cache = TtlCache(stale_max_seconds=600, clock=clock)
    upstream.error = VenueSymbolError("okx", "market not listed")
    for _ in range(3):
        with pytest.raises(VenueSymbolError):
            await cache.get("k", 60, upstream)
    assert upstream.calls == 1
    clock.now += 61
    with pytest.raises(VenueSymbolError):
        await cache.get("k", 60, upstream)
    assert upstream.calls == 2


async def test_a_temporary_error_is_retried_on_the_next_call() -> None:
    upstream = Upstream()
    cache = TtlCache(stale_max_seconds=600, clock=Clock())
    upstream.error = VenueNetworkError("okx", "unreachable")
    with pytest.raises(VenueNetworkError):
        await cache.get("k", 60, upstream)
    upstream.error = None
    assert (await cache.get("k", 60, upstream)).value == 1.0
    assert upstream.calls == 2


async def test_close_cancels_fetches_in_flight() -> None:
    upstream = Upstream()
    upstream.gate = asyncio.Event()
    cache = TtlCache(stale_max_seconds=600, clock=Clock())
    waiter = asyncio.create_task(cache.get("k", 60, upstream))
    await asyncio.sleep(0)
    await cache.close()
    with pytest.raises(asyncio.CancelledError):
        await waiter
