"""What storage keeps of a digest a chat received: its headline and key figures.

Plain records: the "since the last digest" comparison (``bot.scheduling.digest``) reads
them back; storage itself imports nothing above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DigestMetrics:
    """The key figures of one digest: price, open interest, long/short, funding, bias."""

    price: float | None
    open_interest_usd: float | None
    long_short_ratio: float | None
    funding_rate: float | None
    bias_score: float | None
    bias_label: str | None


@dataclass(frozen=True, slots=True)
class DigestMemory:
    """One digest as a chat received it: when, which headline, which figures."""

    chat_id: int
    symbol: str
    slot: datetime
    headline: str
    metrics: DigestMetrics
