"""Directional bias: a weighted sum of typed facts, each kept as a reason.

Each fact gives a strength in [−1, 1] (sign = direction); its contribution is
strength × weight. The score is the sum of contributions divided by the sum of the
weights of the facts available, so missing data narrows coverage, not the scale — down to
half the weights: with less than that, the missing facts count as neutral.

=====================  ======  ==============================================
fact (indicator)       weight  strength
=====================  ======  ==============================================
dmi (1d)               0.20    ±min(1, ADX / ADX_FULL), + when +DI > −DI
dmi (4h)               0.15    same
dmi (1h)               0.05    same
price_vs_sma200 (1d)   0.10    ±1, + when price above
price_vs_sma50 (1d)    0.10    ±1, + when price above
price_vs_ema50 (4h)    0.10    ±1, + when price above
rsi (1d)               0.05    (RSI − 50) / RSI_SPAN, clipped
macd_hist (4h)         0.05    ±1 by the histogram's sign
change_24h             0.05    change % / CHANGE_FULL_PCT, clipped
long_short_ratio       0.05    (ratio − 1) / LS_FULL, clipped (overall, OI-weighted)
funding_rate           0.05    funding 8h / FUNDING_FULL, clipped (mean of venues)
whale_net              0.05    (long − short) / (long + short) of whale notional
=====================  ======  ==============================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.analysis.model import (
    Bias,
    BiasLabel,
    BiasReason,
    Confidence,
    Derivatives,
    IndicatorSet,
    PriceAction,
    ReasonDirection,
    WhaleAnalysis,
)


@dataclass(frozen=True, slots=True)
class Fact:
    """A weighted fact: the indicator, its timeframe and weight."""

    indicator: str
    timeframe: str | None
    weight: float


WEIGHTS: tuple[Fact, ...] = (
    Fact("dmi", "1d", 0.20),
    Fact("dmi", "4h", 0.15),
    Fact("dmi", "1h", 0.05),
    Fact("price_vs_sma200", "1d", 0.10),
    Fact("price_vs_sma50", "1d", 0.10),
    Fact("price_vs_ema50", "4h", 0.10),
    Fact("rsi", "1d", 0.05),
    Fact("macd_hist", "4h", 0.05),
    Fact("change_24h", None, 0.05),
    Fact("long_short_ratio", None, 0.05),
    Fact("funding_rate", None, 0.05),
    Fact("whale_net", None, 0.05),
)
#: ADX at which a DMI reading counts fully.
ADX_FULL = 40.0
#: RSI points from 50 that count fully.
RSI_SPAN = 25.0
#: A 24h change of this many percent counts fully.
CHANGE_FULL_PCT = 5.0
#: A long/short ratio this far from 1 counts fully.
LS_FULL = 0.5
#: Funding per 8h that counts fully (0.01 %, the usual baseline).
FUNDING_FULL = 0.0001
#: Below this share of the weights, missing facts count as neutral (score shrinks).
MIN_COVERAGE = 0.5
#: Label edges on the score.
LABEL_EDGES: tuple[tuple[float, BiasLabel], ...] = (
    (-0.6, "strongly bearish"), (-0.2, "bearish"), (0.2, "neutral"), (0.6, "bullish"),
)
#: Confidence: (minimum weight coverage, minimum agreement) for high and medium.
CONFIDENCE_HIGH = (0.8, 0.6)
CONFIDENCE_MEDIUM = (0.5, 0.3)

_MA_FACTS: Mapping[str, tuple[str, int]] = MappingProxyType(
    {"price_vs_sma200": ("sma", 200), "price_vs_sma50": ("sma", 50), "price_vs_ema50": ("ema", 50)}
)


def _clip(x: float) -> float:
    return max(-1.0, min(1.0, x))


def _strength(fact: Fact, ind: Mapping[str, IndicatorSet], price: PriceAction | None,
              deriv: Derivatives, whales: WhaleAnalysis | None) -> tuple[float, float] | None:
    """(value, strength) of one fact, or None when its inputs are missing."""
    tf = ind.get(fact.timeframe or "")
    name = fact.indicator
    if name == "dmi" and tf is not None and None not in (tf.adx, tf.plus_di, tf.minus_di):
        adx, plus, minus = tf.adx or 0.0, tf.plus_di or 0.0, tf.minus_di or 0.0
        sign = 0.0 if plus == minus else (1.0 if plus > minus else -1.0)
        return adx, sign * min(1.0, adx / ADX_FULL)
    if name in _MA_FACTS and tf is not None and tf.close is not None:
        kind, period = _MA_FACTS[name]
        ma = (tf.sma if kind == "sma" else tf.ema).get(period)
        if ma:
            dist = (tf.close - ma) / ma * 100.0
            return dist, 0.0 if dist == 0 else (1.0 if dist > 0 else -1.0)
    if name == "rsi" and tf is not None and tf.rsi is not None:
        return tf.rsi, _clip((tf.rsi - 50.0) / RSI_SPAN)
    if name == "macd_hist" and tf is not None and tf.macd.hist is not None:
        h = tf.macd.hist
        return h, 0.0 if h == 0 else (1.0 if h > 0 else -1.0)
    if name == "change_24h" and price is not None and price.change_24h_pct is not None:
        return price.change_24h_pct, _clip(price.change_24h_pct / CHANGE_FULL_PCT)
    if name == "long_short_ratio" and deriv.long_short_ratio.value is not None:
        r = deriv.long_short_ratio.value
        return r, _clip((r - 1.0) / LS_FULL)
    if name == "funding_rate" and deriv.funding_rate_8h_mean.value is not None:
        f = deriv.funding_rate_8h_mean.value
        return f, _clip(f / FUNDING_FULL)
    if name == "whale_net" and whales is not None:
        total = whales.long_notional_usd + whales.short_notional_usd
        if total > 0:
            return whales.net_notional_usd, _clip(whales.net_notional_usd / total)
    return None


def label_for(score: float) -> BiasLabel:
    """The label of a score in [−1, 1]."""
    for edge, label in LABEL_EDGES:
        if score <= edge if edge < 0 else score < edge:
            return label
    return "strongly bullish"


def _confidence(coverage: float, agreement: float) -> Confidence:
    if coverage >= CONFIDENCE_HIGH[0] and agreement >= CONFIDENCE_HIGH[1]:
        return "high"
    if coverage >= CONFIDENCE_MEDIUM[0] and agreement >= CONFIDENCE_MEDIUM[1]:
        return "medium"
    return "low"


def compute_bias(ind: Mapping[str, IndicatorSet], price: PriceAction | None, deriv: Derivatives,
                 whales: WhaleAnalysis | None) -> Bias:
    """The bias with its reasons, largest contribution first."""
    reasons: list[BiasReason] = []
    for fact in WEIGHTS:
        got = _strength(fact, ind, price, deriv, whales)
        if got is None:
            continue
        value, strength = got
        contribution = strength * fact.weight
        direction: ReasonDirection = (
            "neutral" if contribution == 0 else ("bullish" if contribution > 0 else "bearish")
        )
        reasons.append(BiasReason(fact.indicator, fact.timeframe, value, direction, fact.weight,
                                  contribution))
    weight = sum(r.weight for r in reasons)
    if weight <= 0:
        return Bias(score=0.0, label="neutral", confidence="low")
    total = sum(r.contribution for r in reasons)
    magnitude = sum(abs(r.contribution) for r in reasons)
    # a few facts alone (e.g. futures without price history) cannot make a strong read
    score = _clip(total / max(weight, MIN_COVERAGE * sum(f.weight for f in WEIGHTS)))
    agreement = abs(total) / magnitude if magnitude > 0 else 0.0
    coverage = weight / sum(f.weight for f in WEIGHTS)
    return Bias(
        score=score,
        label=label_for(score),
        confidence=_confidence(coverage, agreement),
        reasons=tuple(sorted(reasons, key=lambda r: abs(r.contribution), reverse=True)),
    )
