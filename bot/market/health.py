"""Each venue's real state for ``/status``: last success, last error (a code) and when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.errors import MissingReason


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class VenueState:
    """What the bot last heard from one venue (times are aware UTC; ``None``: never)."""

    venue: str
    last_success: datetime | None = None
    last_error: MissingReason | None = None
    last_error_at: datetime | None = None
    markets_fetched_at: datetime | None = None

    @property
    def failing(self) -> bool:
        """Whether the latest news from the venue is an error."""
        if self.last_error_at is None:
            return False
        return self.last_success is None or self.last_error_at >= self.last_success


class VenueHealth:
    """Records successes and errors per venue as calls finish."""

    def __init__(self, clock: Callable[[], datetime] = _utc_now) -> None:
        self._clock = clock
        self._states: dict[str, VenueState] = {}

    def _get(self, venue: str) -> VenueState:
        return self._states.get(venue) or VenueState(venue)

    def success(self, venue: str) -> None:
        """A call to ``venue`` returned a usable answer."""
        self._states[venue] = replace(self._get(venue), last_success=self._clock())

    def error(self, venue: str, code: MissingReason) -> None:
        """A call to ``venue`` failed with reason ``code``."""
        self._states[venue] = replace(
            self._get(venue), last_error=code, last_error_at=self._clock())

    def markets(self, venue: str, fetched_at: datetime) -> None:
        """``venue``'s market list in use was fetched at ``fetched_at``."""
        self._states[venue] = replace(self._get(venue), markets_fetched_at=fetched_at)

    def states(self, venues: tuple[str, ...]) -> tuple[VenueState, ...]:
        """The state of each of ``venues`` (in that order)."""
        return tuple(self._get(v) for v in venues)
