"""What a digest remembers (key metrics) and what changed since the last one. Pure.

The "since the last digest" section compares the analysis being sent with the metrics stored
when the previous digest of the same symbol reached the same chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.analysis.model import Analysis
from bot.storage.digest_records import DigestMemory, DigestMetrics

__all__ = ["DigestMemory", "DigestMetrics", "MetricChange", "SinceLast", "metrics_of",
           "since_last"]


@dataclass(frozen=True, slots=True)
class MetricChange:
    """One metric then and now; ``change_pct`` only where a relative change makes sense."""

    metric: str
    before: float | None
    after: float | None
    change: float | None
    change_pct: float | None


@dataclass(frozen=True, slots=True)
class SinceLast:
    """The chat-specific section: changes since ``previous_slot`` (bias as labels)."""

    symbol: str
    previous_slot: datetime
    changes: tuple[MetricChange, ...]
    bias_before: str | None
    bias_after: str | None
    bias_score_change: float | None


def metrics_of(analysis: Analysis) -> DigestMetrics:
    """The figures a digest of ``analysis`` shows (None where the analysis has none)."""
    derivatives = analysis.derivatives
    return DigestMetrics(
        price=analysis.price.last if analysis.price is not None else None,
        open_interest_usd=derivatives.open_interest_usd.value,
        long_short_ratio=derivatives.long_short_ratio.value,
        funding_rate=derivatives.funding_rate_8h_mean.value,
        bias_score=analysis.bias.score,
        bias_label=str(analysis.bias.label),
    )


def _change(metric: str, before: float | None, after: float | None, *, relative: bool
            ) -> MetricChange:
    if before is None or after is None:
        return MetricChange(metric, before, after, None, None)
    change = after - before
    pct = change / before * 100 if relative and before else None
    return MetricChange(metric, before, after, change, pct)


def since_last(symbol: str, previous: DigestMemory | None, current: DigestMetrics
               ) -> SinceLast | None:
    """Changes since ``previous`` (None for a chat's first digest of ``symbol``)."""
    if previous is None:
        return None
    before = previous.metrics
    changes = (
        _change("price", before.price, current.price, relative=True),
        _change("open_interest", before.open_interest_usd, current.open_interest_usd,
                relative=True),
        _change("long_short", before.long_short_ratio, current.long_short_ratio, relative=False),
        _change("funding", before.funding_rate, current.funding_rate, relative=False),
    )
    score_change = (
        current.bias_score - before.bias_score
        if current.bias_score is not None and before.bias_score is not None else None
    )
    return SinceLast(
        symbol=symbol,
        previous_slot=previous.slot,
        changes=tuple(c for c in changes if c.after is not None),
        bias_before=before.bias_label,
        bias_after=current.bias_label,
        bias_score_change=score_change,
    )
