"""The bot's own open-interest history for venues without an OI-history endpoint."""

from __future__ import annotations

from collections import deque


class OiRing:
    """A bounded ring of ``(ms, usd)`` open-interest observations of one venue and symbol."""

    def __init__(self, max_points: int = 2048) -> None:
        self._points: deque[tuple[int, float]] = deque(maxlen=max_points)

    def record(self, timestamp_ms: int, usd: float) -> None:
        """Remember an observation (ignores one older than the newest)."""
        if self._points and timestamp_ms <= self._points[-1][0]:
            return
        self._points.append((timestamp_ms, usd))

    def value_near(self, target_ms: int, tolerance_ms: int) -> float | None:
        """The observation closest to ``target_ms`` if within ``tolerance_ms``."""
        best: tuple[int, float] | None = None
        for point in self._points:
            if best is None or abs(point[0] - target_ms) < abs(best[0] - target_ms):
                best = point
        if best is None or abs(best[0] - target_ms) > tolerance_ms:
            return None
        return best[1]


class OiRings:
    """One ``OiRing`` per (venue, market symbol)."""

    def __init__(self) -> None:
        self._rings: dict[tuple[str, str], OiRing] = {}

    def ring(self, venue: str, symbol: str) -> OiRing:
        """The ring of ``venue``/``symbol`` (created on first use)."""
        return self._rings.setdefault((venue, symbol), OiRing())
