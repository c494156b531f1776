"""Scores over graded calls: hit rates with Wilson 95% intervals, Brier, reliability."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

#: z of a two-sided 95% interval.
Z95 = 1.959963984540054
#: Width of a reliability bin (probability).
BIN_WIDTH = 0.1


@dataclass(frozen=True, slots=True)
class Rate:
    """``hits`` of ``total`` with the Wilson 95% interval (None rates when total is 0)."""

    hits: int
    total: int

    @property
    def rate(self) -> float | None:
        """hits / total."""
        return self.hits / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """Wilson score interval at 95%."""
        if not self.total:
            return None
        n, p = self.total, self.hits / self.total
        centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
        return max(0.0, centre - half), min(1.0, centre + half)


def rate(flags: Sequence[bool]) -> Rate:
    """The rate of true values."""
    return Rate(sum(1 for f in flags if f), len(flags))


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """Calls whose stated probability fell in [low, high): mean stated vs realised."""

    low: float
    high: float
    calls: int
    stated: float
    realised: float


@dataclass(frozen=True, slots=True)
class Brier:
    """Brier score of stated probabilities, of climatology, and the skill score."""

    calls: int
    score: float
    climatology: float

    @property
    def skill(self) -> float | None:
        """1 − score / climatology (0: no better than climatology)."""
        return None if self.climatology == 0 else 1.0 - self.score / self.climatology


def brier(stated: Sequence[float], base: Sequence[float], ups: Sequence[bool]) -> Brier | None:
    """Brier of ``stated`` and of the climatology ``base`` against outcomes ``ups``."""
    if not stated:
        return None
    outcome = [1.0 if u else 0.0 for u in ups]
    score = sum((p - o) ** 2 for p, o in zip(stated, outcome, strict=True)) / len(stated)
    clim = sum((b - o) ** 2 for b, o in zip(base, outcome, strict=True)) / len(base)
    return Brier(len(stated), score, clim)


def reliability(stated: Sequence[float], ups: Sequence[bool]) -> tuple[ReliabilityBin, ...]:
    """Calls binned by stated probability (10-point bins), non-empty bins only."""
    bins: dict[int, list[tuple[float, bool]]] = {}
    for p, up in zip(stated, ups, strict=True):
        bins.setdefault(min(int(p / BIN_WIDTH), int(1 / BIN_WIDTH) - 1), []).append((p, up))
    out = []
    for index in sorted(bins):
        rows = bins[index]
        out.append(ReliabilityBin(
            low=index * BIN_WIDTH,
            high=(index + 1) * BIN_WIDTH,
            calls=len(rows),
            stated=sum(p for p, _ in rows) / len(rows),
            realised=sum(1 for _, u in rows if u) / len(rows),
        ))
    return tuple(out)
