"""One deadline per reply: retries, backoff and Retry-After only while time is left;
market lists kept on disk with their age."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import VenueNetworkError, VenueRateLimitedError, VenueTimeoutError
from bot.market.ccxt_errors import call_with_retry
from bot.market.deadline import Deadline
from bot.market.markets_store import MarketsStore
from bot.market.units import retry_after_seconds


def failing(*errors: Exception) -> tuple[list[float], Callable[[], Awaitable[str]]]:
    calls: list[float] = []
    queue = list(errors)

    async def fn() -> str:
        calls.append(time.monotonic())
        if queue:
            raise queue.pop(0)
        return "answer"

    return calls, fn


async def test_a_temporary_error_is_retried_while_the_deadline_leaves_time() -> None:
    calls, fn = failing(VenueNetworkError("okx", "503"))
    got = await call_with_retry("okx", fn, 2, 0.05, Deadline.after(2.0))
    assert got == "answer" and len(calls) == 2


async def test_no_backoff_is_slept_when_it_would_overrun_the_deadline() -> None:
    calls, fn = failing(VenueNetworkError("okx", "503"), VenueNetworkError("okx", "503"))
    started = time.monotonic()
    with pytest.raises(VenueNetworkError):
        await call_with_retry("okx", fn, 5, 2.0, Deadline.after(0.5))
    assert len(calls) == 1 and time.monotonic() - started < 0.3


async def test_retry_after_is_waited_out_within_the_budget_and_refused_beyond_it() -> None:
    limited = VenueRateLimitedError("bybit", "429", retry_after=0.2)
    calls, fn = failing(limited)
    assert await call_with_retry("bybit", fn, 2, 0.0, Deadline.after(2.0)) == "answer"
    assert calls[1] - calls[0] >= 0.2
    calls, fn = failing(VenueRateLimitedError("bybit", "429", retry_after=30))
    with pytest.raises(VenueRateLimitedError):
        await call_with_retry("bybit", fn, 2, 0.0, Deadline.after(2.0))
    assert len(calls) == 1


async def test_an_attempt_is_cut_at_the_deadline() -> None:
    async def slow() -> str:
        await asyncio.sleep(5)
        return "late"

    started = time.monotonic()
    with pytest.raises(VenueTimeoutError):
        await call_with_retry("okx", slow, 3, 0.0, Deadline.after(0.3))
    assert time.monotonic() - started < 1.0


def test_retry_after_reads_seconds_and_http_dates() -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert retry_after_seconds({"Retry-After": "2"}) == 2.0
    assert 25 <= (retry_after_seconds({"retry-after": soon}) or 0) <= 31
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_a_saved_market_list_comes_back_with_its_age(tmp_path: Path) -> None:
    store = MarketsStore(tmp_path)
    fetched = datetime.now(UTC) - timedelta(hours=3)
    store.save("okx", ["swap"], {"BTC/USDT:USDT": {"id": "BTC-USDT-SWAP"}}, {}, fetched)
    saved = store.load("okx", ["swap"])
    assert saved is not None and saved.markets["BTC/USDT:USDT"]["id"] == "BTC-USDT-SWAP"
    assert 3 * 3600 - 5 < saved.age_seconds(datetime.now(UTC)) < 3 * 3600 + 5
    assert store.load("okx", ["spot"]) is None


def test_a_damaged_market_file_is_ignored_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "okx-swap.json").write_text('{"version": 1, "markets": {"BTC', encoding="utf-8")
    assert MarketsStore(tmp_path).load("okx", ["swap"]) is None
    assert MarketsStore(None).load("okx", ["swap"]) is None
