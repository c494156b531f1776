"""Episodes worth a headline: crash, rebound, breakout/breakdown, range, squeeze, volume surge."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import numpy as np

from bot.analysis.model import Derivatives, Event, IndicatorSet, PriceAction
from bot.analysis.price_action import window
from bot.analysis.trend import ADX_STRONG
from bot.market.models import CandleSeries, MarketSnapshot

#: A 24h high-to-low drop at least this large (percent) is a crash.
CRASH_MIN_DROP_PCT = 5.0
#: A rebound must recover at least this percent off the low ...
REBOUND_MIN_PCT = 2.0
#: ... and at least this fraction of the drop.
REBOUND_MIN_SHARE = 0.4
#: Days of 4h bars looked at for a range, and for the range a breakout leaves.
RANGE_DAYS = 10
#: A range is at most this wide (high − low over mid, percent).
RANGE_MAX_WIDTH_PCT = 6.0
#: The breakout's reference range excludes the last hours (the breakout itself).
BREAKOUT_RECENT_HOURS = 24
#: A squeeze needs a 24h move of at least this percent ...
SQUEEZE_MIN_MOVE_PCT = 4.0
#: ... against crowding: mean funding (8h) below −SQUEEZE_FUNDING (shorts) or above
#: SQUEEZE_LONG_FUNDING (longs), or overall long/short past these.
SQUEEZE_FUNDING = 0.0001
SQUEEZE_LONG_FUNDING = 0.0003
SQUEEZE_SHORTS_CROWDED_LS = 0.9
SQUEEZE_LONGS_CROWDED_LS = 1.5
#: Volume of the last 24h against the average 24h of the previous days.
VOLUME_SURGE_RATIO = 2.0
VOLUME_BASE_DAYS = 7


def is_rebound(drop_pct: float, rebound_pct: float) -> bool:
    """Whether a bounce of ``rebound_pct`` off a ``drop_pct`` (negative) fall counts as one."""
    return rebound_pct >= max(REBOUND_MIN_PCT, REBOUND_MIN_SHARE * -drop_pct)


def crash_and_rebound(price: PriceAction | None) -> list[Event]:
    """The 24h swing as a crash event, and its rebound when large enough."""
    if price is None or price.swing is None:
        return []
    s = price.swing
    if -s.drop_pct < CRASH_MIN_DROP_PCT:
        return []
    out = [Event("crash", "1h", s.high_time, s.low_time, s.drop_pct, s.high, s.low,
                 direction="bearish")]
    if is_rebound(s.drop_pct, s.rebound_pct):
        out.append(Event("rebound", "1h", s.low_time, s.rebound_high_time, s.rebound_pct, s.low,
                         s.rebound_high, direction="bullish"))
    return out


def range_and_breakout(series: CandleSeries, as_of: datetime, last: float,
                       daily: IndicatorSet | None) -> list[Event]:
    """A tight range over RANGE_DAYS, or a close beyond the prior range's edge."""
    bars = window(series, as_of, timedelta(days=RANGE_DAYS))
    if len(bars) < 2:
        return []
    hi, lo = float(bars.high.max()), float(bars.low.min())
    width = (hi - lo) / ((hi + lo) / 2.0) * 100.0
    trendless = daily is None or daily.adx is None or daily.adx < ADX_STRONG
    if width <= RANGE_MAX_WIDTH_PCT and trendless:
        return [Event("range", series.timeframe, bars.time_at(0), as_of, width, lo, hi)]
    cut = as_of - timedelta(hours=BREAKOUT_RECENT_HOURS)
    prior = window(series, cut, timedelta(days=RANGE_DAYS) - timedelta(hours=BREAKOUT_RECENT_HOURS))
    if len(prior) < 2:
        return []
    p_hi, p_lo = float(prior.high.max()), float(prior.low.min())
    if last > p_hi:
        return [Event("breakout", series.timeframe, cut, as_of, (last - p_hi) / p_hi * 100.0,
                      p_lo, p_hi, p_hi, direction="bullish")]
    if last < p_lo:
        return [Event("breakdown", series.timeframe, cut, as_of, (last - p_lo) / p_lo * 100.0,
                      p_lo, p_hi, p_lo, direction="bearish")]
    return []


def squeeze(price: PriceAction | None, deriv: Derivatives, as_of: datetime) -> list[Event]:
    """A sharp 24h move against crowded positioning (funding or long/short)."""
    if price is None or price.change_24h_pct is None:
        return []
    move = price.change_24h_pct
    funding = deriv.funding_rate_8h_mean.value
    ratio = deriv.long_short_ratio.value
    start = as_of - timedelta(hours=24)
    if move >= SQUEEZE_MIN_MOVE_PCT and (
        (funding is not None and funding <= -SQUEEZE_FUNDING)
        or (ratio is not None and ratio <= SQUEEZE_SHORTS_CROWDED_LS)
    ):
        return [Event("squeeze", "1h", start, as_of, move, ratio=ratio, direction="bullish")]
    if move <= -SQUEEZE_MIN_MOVE_PCT and (
        (funding is not None and funding >= SQUEEZE_LONG_FUNDING)
        or (ratio is not None and ratio >= SQUEEZE_LONGS_CROWDED_LS)
    ):
        return [Event("squeeze", "1h", start, as_of, move, ratio=ratio, direction="bearish")]
    return []


def volume_surge(series: CandleSeries, as_of: datetime) -> list[Event]:
    """Last 24h volume at least VOLUME_SURGE_RATIO × the previous days' daily average."""
    day = window(series, as_of, timedelta(hours=24))
    base = window(series, as_of - timedelta(hours=24), timedelta(days=VOLUME_BASE_DAYS))
    if len(day) == 0 or len(base) == 0:
        return []
    covered_days = len(base) * series.interval_ms / 86_400_000
    avg = float(np.sum(base.volume)) / covered_days if covered_days > 0 else 0.0
    now = float(np.sum(day.volume))
    if avg <= 0 or now / avg < VOLUME_SURGE_RATIO:
        return []
    return [Event("volume_surge", series.timeframe, day.time_at(0), as_of, ratio=now / avg)]


def detect_events(snapshot: MarketSnapshot, price: PriceAction | None, deriv: Derivatives,
                  indicators: Mapping[str, IndicatorSet]) -> tuple[Event, ...]:
    """Every episode visible at ``snapshot.as_of``."""
    last = snapshot.last_price
    out = crash_and_rebound(price)
    four = snapshot.series("4h")
    if last is not None and len(four):
        out += range_and_breakout(four, snapshot.as_of, last, indicators.get("1d"))
    out += squeeze(price, deriv, snapshot.as_of)
    hourly = snapshot.series("1h")
    out += volume_surge(hourly if len(hourly) else four, snapshot.as_of)
    if price is not None:
        out += [Event("level_breached", "1h", b.time, b.time, level_price=b.price,
                      level_label=b.label,
                      direction="bearish" if b.direction == "below" else "bullish")
                for b in price.breaches]
    return tuple(out)
