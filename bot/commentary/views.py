"""View models: what a post may say, picked and derived from an Analysis.

Every number a template prints is a field here (or of an analysis dataclass held
here), so the fact-check can verify rendered text against the view model alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot.analysis.events import is_rebound
from bot.analysis.model import (
    Analysis,
    Bias,
    BiasReason,
    Event,
    Level,
    LevelBreach,
    Odds,
    PositionChange,
    PriceAction,
    SwingMove,
    TrendReading,
    VenueMissing,
    VenueRow,
    WhalePositionView,
)
from bot.commentary.formatting import same_number
from bot.errors import DataError
from bot.market.models import Coverage

PriceDirection = Literal["up", "down", "flat", "unknown"]
Strength = Literal["weak", "strong"]
ScenarioEvent = Literal[
    "crash", "rebound", "breakout", "breakdown", "range", "squeeze", "none", "nohistory"
]


#: |24h change| below this (percent) reads as a flat day.
FLAT_CHANGE_PCT = 0.75
#: A swing drop at least this deep (percent) is told as a crash even without an event.
CRASH_DROP_PCT = -5.0
#: A swing whose drop is shallower than this (percent) is not told at all.
SWING_MIN_DROP_PCT = -2.0
#: A swing low may sit this fraction above the day's low and still be told as the low.
SWING_LOW_TOLERANCE = 0.0005
#: Event priority when choosing the scenario's event.
EVENT_PRIORITY: tuple[ScenarioEvent, ...] = (
    "crash", "squeeze", "breakdown", "breakout", "rebound", "range"
)
#: Long/short ratios farther apart than this between venues are called out.
LS_SPREAD_NOTABLE = 0.25
#: Whale and derivatives figures older than this are shown with their time.
DATA_FRESH_LIMIT = timedelta(minutes=30)
MAX_LEVELS_LISTED = 3
MAX_WHALE_ROWS = 3
MAX_REASONS = 3
#: Reasons pulling against the bias that an answer still mentions.
MAX_REASONS_AGAINST = 2


@dataclass(frozen=True, slots=True)
class Scenario:
    """The phrase-bank key: direction × trend strength × event."""

    direction: PriceDirection
    strength: Strength
    event: ScenarioEvent

    @property
    def key(self) -> str:
        """``direction.strength.event``, e.g. ``down.strong.crash``."""
        return f"{self.direction}.{self.strength}.{self.event}"


#: The scenario of a post without price history: only its own phrase-bank entries fit.
NO_HISTORY = Scenario("unknown", "weak", "nohistory")


@dataclass(frozen=True, slots=True)
class DerivativesView:
    """Aggregates (with the venues they cover), venue extremes and missing venues."""

    open_interest_usd: float | None
    open_interest_venues: tuple[str, ...]
    open_interest_change_pct: float | None
    volume_24h_usd: float | None
    volume_venues: tuple[str, ...]
    volume_change_pct: float | None
    long_short_ratio: float | None
    long_short_venues: tuple[str, ...]
    ls_high: VenueRow | None
    ls_low: VenueRow | None
    funding_mean_8h: float | None
    funding_venues: tuple[str, ...]
    funding_spread_8h: float | None
    rows: tuple[VenueRow, ...]
    missing_venues: tuple[VenueMissing, ...]
    volume_up_oi_down: bool
    as_of: datetime | None = None
    stale: bool = False

    @property
    def has_any(self) -> bool:
        """Whether any aggregate has a value."""
        return any(v is not None for v in (
            self.open_interest_usd, self.volume_24h_usd, self.long_short_ratio,
            self.funding_mean_8h))

    @property
    def ls_divergent(self) -> bool:
        """Whether venues disagree notably on the long/short ratio."""
        if self.ls_high is None or self.ls_low is None or self.ls_high is self.ls_low:
            return False
        hi, lo = self.ls_high.long_short_ratio, self.ls_low.long_short_ratio
        return hi is not None and lo is not None and hi - lo >= LS_SPREAD_NOTABLE


@dataclass(frozen=True, slots=True)
class WhalesView:
    """Whale positioning: totals, the long share, largest positions and changes."""

    source: str
    as_of: datetime
    addresses_covered: int
    addresses_with_position: int
    long_usd: float
    short_usd: float
    net_usd: float
    long_count: int
    short_count: int
    long_share_pct: float | None
    largest: tuple[WhalePositionView, ...]
    changes: tuple[PositionChange, ...]
    previous_as_of: datetime | None
    ranking_moves: int
    stale: bool = False


@dataclass(frozen=True, slots=True)
class PostView:
    """Everything one post or answer may quote about ``symbol`` at ``as_of``."""

    symbol: str
    as_of: datetime
    source: str
    scenario: Scenario
    price: PriceAction | None
    swing: SwingMove | None
    breach: LevelBreach | None
    trend_timeframe: str
    trend: TrendReading | None
    trend_4h: TrendReading | None
    next_support: Level | None
    reversal: Level | None
    supports: tuple[Level, ...]
    resistances: tuple[Level, ...]
    derivatives: DerivativesView | None
    whales: WhalesView | None
    bias: Bias
    reasons: tuple[BiasReason, ...]
    outlook_scenario: str
    outlook_direction: str | None
    target: Level | None
    reclaim: Level | None
    invalidation: Level | None
    event: Event | None
    odds: Odds | None = None
    #: missing venues, stale ages, the price's basis, no price history (codes; see templates)
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def is_demo(self) -> bool:
        """Demo data must be visibly marked."""
        return self.source == "demo"

    @property
    def rebounded(self) -> bool:
        """Whether the swing's rebound is one the event detector would call a rebound."""
        return self.swing is not None and is_rebound(self.swing.drop_pct, self.swing.rebound_pct)


def _direction(price: PriceAction | None) -> PriceDirection:
    if price is None or price.change_24h_pct is None:
        return "flat"
    if price.change_24h_pct >= FLAT_CHANGE_PCT:
        return "up"
    if price.change_24h_pct <= -FLAT_CHANGE_PCT:
        return "down"
    return "flat"


def _scenario(analysis: Analysis, trend: TrendReading | None) -> Scenario:
    """Direction of the day, trend strength (only when the trend agrees, and its DIs do not
    print the same) and the event."""
    direction = _direction(analysis.price)
    tied = trend is not None and (trend.plus_di is None or trend.minus_di is None
                                  or same_number(trend.plus_di, trend.minus_di))
    agrees = trend is not None and not tied and (
        direction == "flat" or trend.direction == ("bullish" if direction == "up" else "bearish"))
    strong = trend is not None and trend.strength in ("strong", "very strong")
    strength: Strength = "strong" if strong and agrees else "weak"
    kinds: set[str] = {e.kind for e in analysis.events}
    price = analysis.price
    if price is not None and price.swing is not None and price.swing.drop_pct <= CRASH_DROP_PCT:
        kinds.add("crash")
    event: ScenarioEvent = next((k for k in EVENT_PRIORITY if k in kinds), "none")
    return Scenario(direction, strength, event)


def _trend(analysis: Analysis) -> tuple[str, TrendReading | None]:
    for tf in ("1d", "4h", "1h"):
        reading = analysis.trend.get(tf)
        if reading is not None and reading.adx is not None:
            return tf, reading
    return "1d", None


def derivatives_view(analysis: Analysis) -> DerivativesView | None:
    """The derivatives part, or None when no venue gave anything."""
    d = analysis.derivatives
    rows = tuple(r for r in d.venues if any(v is not None for v in (
        r.open_interest_usd, r.volume_24h_usd, r.long_short_ratio, r.funding_rate_8h)))
    ls_rows = [r for r in rows if r.long_short_ratio is not None]
    oldest = min((r.as_of for r in rows if r.as_of is not None), default=None)
    view = DerivativesView(
        open_interest_usd=d.open_interest_usd.value,
        open_interest_venues=d.open_interest_usd.venues,
        open_interest_change_pct=d.open_interest_change_24h_pct.value,
        volume_24h_usd=d.volume_24h_usd.value,
        volume_venues=d.volume_24h_usd.venues,
        volume_change_pct=d.volume_change_pct.value,
        long_short_ratio=d.long_short_ratio.value,
        long_short_venues=d.long_short_ratio.venues,
        ls_high=max(ls_rows, key=lambda r: r.long_short_ratio or 0.0, default=None),
        ls_low=min(ls_rows, key=lambda r: r.long_short_ratio or 0.0, default=None),
        funding_mean_8h=d.funding_rate_8h_mean.value,
        funding_venues=d.funding_rate_8h_mean.venues,
        funding_spread_8h=d.funding_rate_8h_spread.value,
        rows=rows,
        missing_venues=tuple(m for m in d.missing if m.metric == "*"),
        volume_up_oi_down=any(x.kind == "volume_vs_open_interest" for x in d.divergences),
        as_of=oldest,
        stale=oldest is not None and analysis.as_of - oldest > DATA_FRESH_LIMIT,
    )
    return view if view.has_any or view.missing_venues else None


def whales_view(analysis: Analysis) -> WhalesView | None:
    """The whale part, or None when no whale data covers the symbol."""
    w = analysis.whales
    if w is None or w.addresses_covered == 0:
        return None
    gross = w.long_notional_usd + w.short_notional_usd
    changes = sorted(w.changes, key=lambda c: abs(c.delta_usd or c.notional_usd), reverse=True)
    return WhalesView(
        source=w.source,
        as_of=w.as_of,
        addresses_covered=w.addresses_covered,
        addresses_with_position=w.addresses_with_position,
        long_usd=w.long_notional_usd,
        short_usd=w.short_notional_usd,
        net_usd=w.net_notional_usd,
        long_count=w.long_count,
        short_count=w.short_count,
        long_share_pct=(w.long_notional_usd / gross * 100.0) if gross > 0 else None,
        largest=w.largest[:MAX_WHALE_ROWS],
        changes=tuple(changes[:MAX_WHALE_ROWS]),
        previous_as_of=w.previous_as_of,
        ranking_moves=len(w.rank_moves),
        stale=analysis.as_of - w.as_of > DATA_FRESH_LIMIT,
    )


def _swing(price: PriceAction | None) -> SwingMove | None:
    """The crash/rebound narrative when the drop is deep enough to tell and its low is
    the day's low (a shallower swing after the low would pass itself off as the bottom)."""
    if price is None or price.swing is None or price.swing.drop_pct > SWING_MIN_DROP_PCT:
        return None
    if price.low_24h is not None and price.swing.low > price.low_24h * (1 + SWING_LOW_TOLERANCE):
        return None
    return price.swing


def _trigger(analysis: Analysis, *roles: str) -> Level | None:
    return next((t.level for t in analysis.outlook.triggers if t.role in roles), None)


def _triggers(analysis: Analysis) -> dict[str, Level | None]:
    """Target, level to reclaim and invalidation of the outlook (falling back to levels)."""
    levels = analysis.levels
    bullish = analysis.outlook.direction == "bullish"
    first_resistance = levels.resistance[0] if levels.resistance else None
    return {
        "target": _trigger(analysis, "target") or (
            first_resistance if bullish else levels.next_support),
        "reclaim": _trigger(analysis, "reclaim") or (None if bullish else levels.reversal),
        "invalidation": _trigger(analysis, "invalidation") or (
            levels.next_support if bullish else None),
    }


def _reasons(analysis: Analysis) -> tuple[BiasReason, ...]:
    """The strongest reasons backing the bias, then the strongest pulling against it."""
    directional = [r for r in analysis.bias.reasons if r.direction != "neutral"]
    if analysis.bias.score == 0:
        return tuple(directional[:MAX_REASONS])
    side = "bullish" if analysis.bias.score > 0 else "bearish"
    backing = [r for r in directional if r.direction == side][:MAX_REASONS]
    against = [r for r in directional if r.direction != side][:MAX_REASONS_AGAINST]
    return (*backing, *against)


def build_view(analysis: Analysis) -> PostView:
    """The view model of ``analysis``; ``DataError`` when there is no price to talk about."""
    if analysis.price is None:
        raise DataError(f"no price for {analysis.symbol} at {analysis.as_of.isoformat()}")
    if analysis.coverage.no_history:
        return _without_history(analysis, analysis.price)
    tf, trend = _trend(analysis)
    price = analysis.price
    reasons = _reasons(analysis)
    scenario = _scenario(analysis, trend)
    event = next((e for e in analysis.events if e.kind == scenario.event), None)
    return PostView(
        symbol=analysis.symbol,
        as_of=analysis.as_of,
        source=analysis.source,
        scenario=scenario,
        price=price,
        swing=_swing(price),
        breach=price.breaches[-1] if price is not None and price.breaches else None,
        trend_timeframe=tf,
        trend=trend,
        trend_4h=analysis.trend.get("4h") if tf != "4h" else None,
        next_support=analysis.levels.next_support,
        reversal=analysis.levels.reversal,
        supports=analysis.levels.support[:MAX_LEVELS_LISTED],
        resistances=analysis.levels.resistance[:MAX_LEVELS_LISTED],
        derivatives=derivatives_view(analysis),
        whales=whales_view(analysis),
        bias=analysis.bias,
        reasons=reasons,
        outlook_scenario=analysis.outlook.scenario,
        outlook_direction=analysis.outlook.direction,
        event=event,
        odds=analysis.odds,
        coverage=analysis.coverage,
        **_triggers(analysis),
    )


def _without_history(analysis: Analysis, price: PriceAction) -> PostView:
    """A post with a price but no candles: no trend, levels, swing or story to tell."""
    return PostView(
        symbol=analysis.symbol, as_of=analysis.as_of, source=analysis.source,
        scenario=NO_HISTORY, price=price, swing=None, breach=None,
        trend_timeframe="1d", trend=None, trend_4h=None, next_support=None, reversal=None,
        supports=(), resistances=(), derivatives=derivatives_view(analysis),
        whales=whales_view(analysis), bias=analysis.bias, reasons=_reasons(analysis),
        outlook_scenario="none", outlook_direction=None, target=None, reclaim=None,
        invalidation=None, event=None, coverage=analysis.coverage,
    )
