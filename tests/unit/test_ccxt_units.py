"""Units, the api_url override and ccxt error translation: the boundary rules of the live source."""

from __future__ import annotations

import ccxt.async_support as ccxt
import pytest

from bot.errors import (
    PermanentVenueError,
    VenueBadResponseError,
    VenueNetworkError,
    VenueNotSupportedError,
    VenueRateLimitedError,
    VenueSymbolError,
    VenueTimeoutError,
)
from bot.market.ccxt_errors import call_with_retry, require_number, translate
from bot.market.units import contracts_to_usd, funding_to_8h, interval_hours
from bot.market.urls import apply_api_url, rebase_url


def test_okx_contracts_convert_to_usd_with_the_contract_size() -> None:
    assert contracts_to_usd(2_500_000, 0.01, 62_909.86) == pytest.approx(1_572_746_500)


@pytest.mark.parametrize(
    ("interval", "rate", "per_8h"),
    [
        ("1h", 0.0000125, 0.0001),
        ("8h", 0.0001, 0.0001),
        ("4h", 0.0001, 0.0002),
        (None, 0.0001, 0.0001),
    ],
)
def test_funding_is_normalised_to_eight_hours(
    interval: str | None, rate: float, per_8h: float
) -> None:
    assert funding_to_8h(rate, interval_hours(interval, 8.0)) == pytest.approx(per_8h)


def test_rebasing_keeps_the_path() -> None:
    assert rebase_url("https://fapi.binance.com/fapi/v1", "http://127.0.0.1:9001") == (
        "http://127.0.0.1:9001/fapi/v1"
    )
    assert rebase_url("https://{hostname}", "http://proxy:8080/okx") == "http://proxy:8080/okx"


@pytest.mark.parametrize("venue", ["binance", "binanceusdm", "okx", "bybit", "hyperliquid"])
async def test_every_ccxt_api_url_points_at_the_override(venue: str) -> None:
    exchange = getattr(ccxt, venue)()
    try:
        apply_api_url(exchange, "http://127.0.0.1:9001")
        urls: list[str] = []

        def collect(value: object) -> None:
            if isinstance(value, dict):
                for v in value.values():
                    collect(v)
            elif isinstance(value, str):
                urls.append(value)

        collect(exchange.urls["api"])
        assert urls
        assert all(u.startswith("http://127.0.0.1:9001") for u in urls)
        assert all("{hostname}" not in exchange.implode_hostname(u) for u in urls)
    finally:
        await exchange.close()


@pytest.mark.parametrize(
    ("raised", "ours", "temporary"),
    [
        (ccxt.RequestTimeout("t"), VenueTimeoutError, True),
        (ccxt.RateLimitExceeded("r"), VenueRateLimitedError, True),
        (ccxt.DDoSProtection("d"), VenueRateLimitedError, True),
        (ccxt.ExchangeNotAvailable("503"), VenueNetworkError, True),
        (ccxt.BadSymbol("s"), VenueSymbolError, False),
        (ccxt.NotSupported("n"), VenueNotSupportedError, False),
        (ccxt.BadResponse("b"), VenueBadResponseError, False),
        (IndexError("list index out of range"), VenueBadResponseError, False),
        (AttributeError("'NoneType' object has no attribute 'get'"), VenueBadResponseError, False),
        (TypeError("unsupported operand"), VenueBadResponseError, False),
        (RuntimeError("?"), PermanentVenueError, False),
    ],
)
def test_ccxt_and_parsing_errors_become_venue_errors(
    raised: Exception, ours: type, temporary: bool
) -> None:
    error = translate("okx", raised)
    assert type(error) is ours
    assert error.temporary is temporary
    assert error.venue == "okx"


async def test_only_temporary_errors_are_retried() -> None:
    calls = []

    async def flaky() -> float:
        calls.append(1)
        if len(calls) < 3:
            raise ccxt.ExchangeNotAvailable("503")
        return 7.0

    assert await call_with_retry("bybit", flaky, retries=2, backoff_seconds=0) == 7.0
    assert len(calls) == 3

    async def broken() -> float:
        calls.append(1)
        raise ccxt.BadSymbol("nope")

    calls.clear()
    with pytest.raises(VenueSymbolError):
        await call_with_retry("bybit", broken, retries=5, backoff_seconds=0)
    assert len(calls) == 1


async def test_retries_give_up_after_the_configured_count() -> None:
    calls = []

    async def down() -> float:
        calls.append(1)
        raise ccxt.RequestTimeout("slow")

    with pytest.raises(VenueTimeoutError):
        await call_with_retry("okx", down, retries=2, backoff_seconds=0)
    assert len(calls) == 3


@pytest.mark.parametrize("garbage", [None, "abc", float("nan"), True])
def test_missing_or_non_numeric_fields_are_bad_responses(garbage: object) -> None:
    with pytest.raises(VenueBadResponseError):
        require_number("okx", "open interest", garbage)
