"""Unit conversions: contracts → USD and funding → 8-hour rate. Pure functions.

Venues count open interest and volume differently: okx in contracts of
``contractSize`` coins, binance/bybit/hyperliquid in coins (contract size 1).
Everything the bot shows is USD, computed as amount × contractSize × price.
"""

from __future__ import annotations

import math
import re

_INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhd])\s*$")
_HOURS_PER_UNIT = {"m": 1 / 60, "h": 1.0, "d": 24.0}


def contracts_to_usd(amount: float, contract_size: float, price: float) -> float:
    """USD value of ``amount`` contracts of ``contract_size`` coins at ``price``."""
    return amount * contract_size * price


def interval_hours(interval: str | None, default_hours: float) -> float:
    """Hours of a ccxt funding interval such as ``'8h'`` or ``'1h'`` (default if unknown)."""
    if not interval:
        return default_hours
    match = _INTERVAL_RE.match(interval)
    if match is None:
        return default_hours
    hours = float(match.group(1)) * _HOURS_PER_UNIT[match.group(2)]
    return hours if hours > 0 else default_hours


def funding_to_8h(rate: float, hours: float) -> float:
    """A funding rate paid every ``hours`` hours, expressed per 8 hours."""
    return rate * 8.0 / hours


def retry_after_seconds(headers: object) -> float | None:
    """Seconds of an HTTP ``Retry-After`` header (delay-seconds form; HTTP dates read too)."""
    if not isinstance(headers, dict):
        return None
    value = next((v for k, v in headers.items() if str(k).lower() == "retry-after"), None)
    if value is None:
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        from datetime import UTC, datetime
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds) if seconds == seconds else None


def optional_number(value: object) -> float | None:
    """``value`` as a finite float, or ``None``."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
