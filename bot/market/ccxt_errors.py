"""ccxt and parsing errors translated into ``bot.errors``, plus retry of temporary ones.

Garbage answers often surface not as ccxt errors but as ``None`` fields or
``IndexError``/``KeyError``/``TypeError`` deep inside a parser: those become
``VenueBadResponseError``. Only ``TemporaryVenueError`` is retried, and only while
the deadline (``bot.market.deadline``) leaves time for the backoff (or the 429's
Retry-After) and another attempt; each attempt is cut at the deadline.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.errors import (
    MissingReason,
    PermanentVenueError,
    TemporaryVenueError,
    VenueBadResponseError,
    VenueError,
    VenueNetworkError,
    VenueNotSupportedError,
    VenueRateLimitedError,
    VenueSymbolError,
    VenueTimeoutError,
)
from bot.market.ccxt_lean import errors as ccxt
from bot.market.deadline import Deadline, current
from bot.market.units import optional_number as optional_number  # re-exported

T = TypeVar("T")
log = logging.getLogger(__name__)

_PARSE_ERRORS = (IndexError, KeyError, TypeError, AttributeError, ValueError, ZeroDivisionError)

#: An attempt needs at least this many seconds of budget to be worth starting.
MIN_ATTEMPT_SECONDS = 0.05

# Order matters: the first matching ccxt class wins (subclasses before their bases).
# Codes are stable (they reach Missing.reason and templates); details go to the log.
_CCXT_MAP: tuple[tuple[type[BaseException], type[VenueError], MissingReason], ...] = (
    (ccxt.RequestTimeout, VenueTimeoutError, MissingReason.TIMEOUT),
    (ccxt.RateLimitExceeded, VenueRateLimitedError, MissingReason.RATE_LIMITED),
    (ccxt.DDoSProtection, VenueRateLimitedError, MissingReason.RATE_LIMITED),
    (ccxt.NetworkError, VenueNetworkError, MissingReason.UNREACHABLE),
    (ccxt.BadSymbol, VenueSymbolError, MissingReason.NOT_LISTED),
    (ccxt.NotSupported, VenueNotSupportedError, MissingReason.NOT_OFFERED),
    (ccxt.BadResponse, VenueBadResponseError, MissingReason.BAD_RESPONSE),
    (ccxt.BaseError, VenueBadResponseError, MissingReason.REJECTED),
)


def translate(venue: str, exc: BaseException) -> VenueError:
    """The ``bot.errors`` equivalent of ``exc`` raised while talking to ``venue``."""
    if isinstance(exc, VenueError):
        return exc
    detail = f"{type(exc).__name__}: {str(exc)[:300]}"
    log.debug("%s: %s", venue, detail)
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return VenueTimeoutError(venue, detail)
    for ccxt_cls, ours, code in _CCXT_MAP:
        if isinstance(exc, ccxt_cls):
            return ours(venue, detail, code)
    if isinstance(exc, _PARSE_ERRORS):
        return VenueBadResponseError(venue, detail)
    return PermanentVenueError(venue, detail)


async def call_translated(venue: str, fn: Callable[[], Awaitable[T]]) -> T:
    """Await ``fn()`` and raise any failure as a ``VenueError`` (``raise … from``).

    aiohttp turns the cancellation of a request into a ``TimeoutError`` (and ccxt
    that into ``RequestTimeout``); when this task is being cancelled, the failure is
    raised as the cancellation it is, so nothing retries a request cut on purpose.
    """
    try:
        return await fn()
    except asyncio.CancelledError:
        raise
    except Exception as e:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise asyncio.CancelledError from e
        if isinstance(e, VenueError):
            raise
        raise translate(venue, e) from e


async def call_within(venue: str, fn: Callable[[], Awaitable[T]], deadline: Deadline | None) -> T:
    """``call_translated`` cut at ``deadline`` (a ``VenueTimeoutError`` when it passes)."""
    if deadline is None:
        return await call_translated(venue, fn)
    remaining = deadline.remaining()
    if remaining < MIN_ATTEMPT_SECONDS:
        raise VenueTimeoutError(venue, "no time left before the deadline")
    try:
        async with asyncio.timeout(remaining):  # no extra task: nothing left unretrieved
            return await call_translated(venue, fn)
    except TimeoutError as e:
        raise VenueTimeoutError(venue, "deadline passed") from e


async def call_with_retry(
    venue: str,
    fn: Callable[[], Awaitable[T]],
    retries: int,
    backoff_seconds: float,
    deadline: Deadline | None = None,
) -> T:
    """``call_translated`` retrying temporary errors up to ``retries`` times, backing off
    2^n (or the venue's Retry-After, if longer), only while ``deadline`` (default: the
    current context's) leaves time for the wait and another attempt."""
    deadline = deadline or current()
    attempt = 0
    while True:
        try:
            return await call_within(venue, fn, deadline)
        except TemporaryVenueError as e:
            if attempt >= retries:
                raise
            delay = backoff_seconds * (2**attempt)
            if isinstance(e, VenueRateLimitedError) and e.retry_after is not None:
                delay = max(delay, e.retry_after)
            if deadline is not None and delay + MIN_ATTEMPT_SECONDS >= deadline.remaining():
                raise
            log.info("%s: %s, retry %d in %.2fs", venue, e.reason, attempt + 1, delay)
            attempt += 1
            await asyncio.sleep(delay)


def bad_response(venue: str, detail: str) -> VenueBadResponseError:
    """A ``VenueBadResponseError`` (code ``BAD_RESPONSE``) with ``detail`` for the log."""
    return VenueBadResponseError(venue, f"unparseable answer ({detail})")


def require_number(venue: str, what: str, value: object, positive: bool = False) -> float:
    """``value`` as a finite float, else ``VenueBadResponseError`` naming ``what``."""
    if value is None or isinstance(value, bool):
        raise bad_response(venue, f"{what} missing")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as e:
        raise bad_response(venue, f"{what} is not a number: {value!r}") from e
    if not math.isfinite(number) or (positive and number <= 0):
        raise bad_response(venue, f"{what} out of range: {number}")
    return number
