"""ccxt and parsing errors translated into ``bot.errors``, plus retry of temporary ones.

Garbage answers often surface not as ccxt errors but as ``None`` fields or
``IndexError``/``KeyError``/``TypeError`` deep inside a parser: those become
``VenueBadResponseError``. Only ``TemporaryVenueError`` is retried.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

import ccxt.async_support as ccxt

from bot.errors import (
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

T = TypeVar("T")
log = logging.getLogger(__name__)

_PARSE_ERRORS = (IndexError, KeyError, TypeError, AttributeError, ValueError, ZeroDivisionError)

# Order matters: the first matching ccxt class wins (subclasses before their bases).
# Reasons are short and stable (they reach Missing.reason); details go to the log.
_CCXT_MAP: tuple[tuple[type[BaseException], type[VenueError], str], ...] = (
    (ccxt.RequestTimeout, VenueTimeoutError, "timed out"),
    (ccxt.RateLimitExceeded, VenueRateLimitedError, "rate limited"),
    (ccxt.DDoSProtection, VenueRateLimitedError, "rate limited"),
    (ccxt.NetworkError, VenueNetworkError, "unreachable or failing (network/5xx)"),
    (ccxt.BadSymbol, VenueSymbolError, "market not listed"),
    (ccxt.NotSupported, VenueNotSupportedError, "not offered"),
    (ccxt.BadResponse, VenueBadResponseError, "unparseable answer"),
    (ccxt.BaseError, VenueBadResponseError, "rejected the request"),
)


def translate(venue: str, exc: BaseException) -> VenueError:
    """The ``bot.errors`` equivalent of ``exc`` raised while talking to ``venue``."""
    if isinstance(exc, VenueError):
        return exc
    log.debug("%s: %s: %s", venue, type(exc).__name__, str(exc)[:500])
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return VenueTimeoutError(venue, "timed out")
    for ccxt_cls, ours, reason in _CCXT_MAP:
        if isinstance(exc, ccxt_cls):
            return ours(venue, reason)
    if isinstance(exc, _PARSE_ERRORS):
        return VenueBadResponseError(venue, "unparseable answer")
    return PermanentVenueError(venue, f"unexpected {type(exc).__name__}")


async def call_translated(venue: str, fn: Callable[[], Awaitable[T]]) -> T:
    """Await ``fn()`` and raise any failure as a ``VenueError`` (``raise … from``)."""
    try:
        return await fn()
    except VenueError:
        raise
    except asyncio.CancelledError:
        raise
    except Exception as e:
        raise translate(venue, e) from e


async def call_with_retry(
    venue: str,
    fn: Callable[[], Awaitable[T]],
    retries: int,
    backoff_seconds: float,
) -> T:
    """``call_translated`` retrying temporary errors ``retries`` times, backing off 2^n."""
    attempt = 0
    while True:
        try:
            return await call_translated(venue, fn)
        except TemporaryVenueError as e:
            if attempt >= retries:
                raise
            delay = backoff_seconds * (2**attempt)
            log.info("%s: %s, retry %d in %.2fs", venue, e.reason, attempt + 1, delay)
            attempt += 1
            await asyncio.sleep(delay)


def bad_response(venue: str, detail: str) -> VenueBadResponseError:
    """A ``VenueBadResponseError`` whose reason reads ``unparseable answer (detail)``."""
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


def optional_number(value: object) -> float | None:
    """``value`` as a finite float, or ``None``."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None

