"""How the database stores datetimes: aware UTC as ISO-8601 text."""

from __future__ import annotations

from datetime import UTC, datetime


def to_iso(when: datetime) -> str:
    """``when`` as UTC ISO-8601 text; naive datetimes are refused."""
    if when.tzinfo is None:
        raise ValueError("naive datetime: storage keeps aware UTC datetimes only")
    return when.astimezone(UTC).isoformat()


def from_iso(text: str) -> datetime:
    """Stored ISO-8601 text back to an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)
