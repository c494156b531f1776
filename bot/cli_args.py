"""Parsing of the CLI's time arguments (``--at``, ``--every``), shared by its subcommands."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.errors import BadArgumentError
from bot.market.models import utc_from_iso

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_when(text: str | None) -> datetime | None:
    """ISO-8601 → aware UTC datetime (naive input is taken as UTC)."""
    if text is None:
        return None
    try:
        return utc_from_iso(text)
    except ValueError as e:
        raise BadArgumentError(f"--at {text!r} is not an ISO-8601 time such as "
                               "2026-02-04T12:00:00Z") from e


def parse_duration(text: str) -> timedelta:
    """'30s', '5m', '1h', '2d' → timedelta."""
    m = _DURATION_RE.match(text)
    if not m or float(m.group(1)) <= 0:
        raise BadArgumentError(f"{text!r} is not a duration such as 30s, 5m, 1h or 2d")
    return timedelta(seconds=float(m.group(1)) * _UNIT_SECONDS[m.group(2)])
