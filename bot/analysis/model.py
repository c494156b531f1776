"""The Analysis result: frozen, typed facts about one MarketSnapshot (no wording).

Every number a post may quote lives here. Values that could not be computed
(missing warm-up, missing venue) are ``None``; never NaN. Times are aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Literal

from bot.errors import MissingReason
from bot.market.models import Coverage, SourceKind

LevelKind = Literal["support", "resistance"]
LevelSource = Literal["pivot", "sma", "ema", "round"]
SwingSide = Literal["high", "low", "mixed"]


def level_code(source: LevelSource, timeframe: str | None = None,
               detail: SwingSide | int | None = None) -> str:
    """A level's code, ``source[.timeframe.detail]``: ``pivot.4h.low``, ``sma.1d.50``,
    ``round``. Never shown: ``level_label`` in ``templates/_macros/words.j2`` words it."""
    return ".".join(str(p) for p in (source, timeframe, detail) if p is not None)
TrendStrength = Literal["weak", "emerging", "strong", "very strong"]
Direction = Literal["bullish", "bearish"]
ReasonDirection = Literal["bullish", "bearish", "neutral"]
RsiState = Literal["oversold", "weak", "neutral", "strong", "overbought"]
BiasLabel = Literal["strongly bearish", "bearish", "neutral", "bullish", "strongly bullish"]
Confidence = Literal["low", "medium", "high"]
Scenario = Literal["continuation", "pullback", "reversal"]
ChangeKind = Literal["opened", "closed", "increased", "reduced", "flipped"]
RankMoveKind = Literal["entered_ranking", "left_ranking"]
EventKind = Literal[
    "crash", "rebound", "breakout", "breakdown", "range", "squeeze", "volume_surge",
    "level_breached",
]
DivergenceKind = Literal["long_short_spread", "funding_spread", "volume_vs_open_interest"]


def _empty_map() -> Mapping[int, float | None]:
    return MappingProxyType({})


# ---------------------------------------------------------------- indicators


@dataclass(frozen=True, slots=True)
class MacdValue:
    """MACD line, signal line and histogram (None during warm-up)."""

    macd: float | None = None
    signal: float | None = None
    hist: float | None = None


@dataclass(frozen=True, slots=True)
class IndicatorSet:
    """Indicator values at the last bar (the forming candle included) of one timeframe.

    DMI/ADX (``plus_di``, ``minus_di``, ``adx``) are read at the last closed bar unless
    ``dmi_forming`` says the forming candle had to be included. ``sma``/``ema`` map a
    period (20, 50, ...) to its value. ``realized_vol_pct`` is the
    annualised standard deviation of log returns over the last ``dmi`` bars, in percent.
    """

    timeframe: str
    bars: int
    close: float | None
    forming: bool = False
    sma: Mapping[int, float | None] = field(default_factory=_empty_map)
    ema: Mapping[int, float | None] = field(default_factory=_empty_map)
    rsi: float | None = None
    macd: MacdValue = field(default_factory=MacdValue)
    plus_di: float | None = None
    minus_di: float | None = None
    adx: float | None = None
    atr: float | None = None
    realized_vol_pct: float | None = None
    dmi_forming: bool = False


# -------------------------------------------------------------- price action


@dataclass(frozen=True, slots=True)
class SwingMove:
    """The largest recent drop from a high to a low, then the rebound off that low.

    ``drop_pct`` is negative (e.g. −7.0); ``rebound_pct`` positive or zero.
    """

    high: float
    high_time: datetime
    low: float
    low_time: datetime
    drop_pct: float
    drop_usd: float
    rebound_high: float
    rebound_high_time: datetime
    rebound_pct: float
    rebound_usd: float
    window_hours: int


@dataclass(frozen=True, slots=True)
class LevelBreach:
    """A level that price crossed inside the window ("broke below the $80k support");
    ``label`` is the level's code (``level_code``)."""

    price: float
    label: str
    direction: Literal["below", "above"]
    time: datetime


@dataclass(frozen=True, slots=True)
class PriceAction:
    """Last price, rolling changes, 24h extremes and the crash/rebound narrative."""

    last: float
    change_24h_pct: float | None = None
    change_24h_usd: float | None = None
    change_7d_pct: float | None = None
    low_24h: float | None = None
    low_24h_time: datetime | None = None
    high_24h: float | None = None
    high_24h_time: datetime | None = None
    swing: SwingMove | None = None
    breaches: tuple[LevelBreach, ...] = ()


# -------------------------------------------------------------------- levels


@dataclass(frozen=True, slots=True)
class Level:
    """A support or resistance level; ``label`` is its code (``level_code``: ``"sma.1d.50"``).

    ``distance_pct`` is (price − last) / last × 100 at the analysis time, ``distance_atr``
    the same distance in daily ATRs. ``touches`` counts the recent visits of price to the
    level, ``held`` those that turned back to the side they came from. The label's meaning
    as codes: ``swing`` (pivot clusters: their swing highs, lows or both) and ``period`` (MAs).
    """

    price: float
    kind: LevelKind
    source: LevelSource
    timeframe: str | None
    touches: int
    label: str
    distance_pct: float = 0.0
    held: int = 0
    distance_atr: float = 0.0
    swing: SwingSide | None = None
    period: int | None = None


@dataclass(frozen=True, slots=True)
class Levels:
    """Levels sorted by distance from price (nearest first), supports below, resistances above.

    ``next_support`` is the nearest support at least a daily ATR below price (what a day may
    reach); ``reversal`` the level a recovery must reclaim within the week: a resistance that
    held before, far enough above price that a falling market rarely gets there; ``breakdown``
    its mirror below price, the support whose loss invalidates a bullish view.
    ``nearby`` holds the levels nearer than a 4h ATR, either side: where price stands now,
    not named as support or resistance, but a cross of one is a breach.
    """

    support: tuple[Level, ...] = ()
    resistance: tuple[Level, ...] = ()
    next_support: Level | None = None
    reversal: Level | None = None
    nearby: tuple[Level, ...] = ()
    breakdown: Level | None = None


# --------------------------------------------------------------------- trend


@dataclass(frozen=True, slots=True)
class MaPosition:
    """Where price stands against one moving average (``label``: its code, ``sma.4h.50``)."""

    label: str
    value: float
    above: bool
    distance_pct: float


@dataclass(frozen=True, slots=True)
class TrendReading:
    """DMI/ADX reading (``forming``: on the forming candle), price vs MAs, RSI state."""

    timeframe: str
    adx: float | None = None
    plus_di: float | None = None
    minus_di: float | None = None
    strength: TrendStrength | None = None
    direction: Direction | None = None
    ma_positions: tuple[MaPosition, ...] = ()
    rsi: float | None = None
    rsi_state: RsiState | None = None
    forming: bool = False


# --------------------------------------------------------------- derivatives


@dataclass(frozen=True, slots=True)
class VenueRow:
    """One venue's metrics (USD), changes in percent; ``as_of`` when its oldest was current."""

    venue: str
    open_interest_usd: float | None = None
    open_interest_change_24h_pct: float | None = None
    volume_24h_usd: float | None = None
    volume_change_pct: float | None = None
    long_short_ratio: float | None = None
    long_share: float | None = None
    funding_rate_8h: float | None = None
    funding_interval_hours: float | None = None
    stale_metrics: tuple[str, ...] = ()
    as_of: datetime | None = None


@dataclass(frozen=True, slots=True)
class Aggregate:
    """An aggregate value with the venues it covers."""

    value: float | None = None
    venues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VenueMissing:
    """A venue (``metric == "*"``) or one of its metrics left out, with the reason."""

    venue: str
    metric: str
    reason: MissingReason


@dataclass(frozen=True, slots=True)
class Divergence:
    """A notable disagreement between venues, or between volume and open interest."""

    kind: DivergenceKind
    high_venue: str | None = None
    high_value: float | None = None
    low_venue: str | None = None
    low_value: float | None = None


@dataclass(frozen=True, slots=True)
class Derivatives:
    """Per-venue rows and aggregates; every aggregate names its venues."""

    venues: tuple[VenueRow, ...] = ()
    open_interest_usd: Aggregate = field(default_factory=Aggregate)
    open_interest_change_24h_pct: Aggregate = field(default_factory=Aggregate)
    volume_24h_usd: Aggregate = field(default_factory=Aggregate)
    volume_change_pct: Aggregate = field(default_factory=Aggregate)
    long_short_ratio: Aggregate = field(default_factory=Aggregate)
    funding_rate_8h_mean: Aggregate = field(default_factory=Aggregate)
    funding_rate_8h_spread: Aggregate = field(default_factory=Aggregate)
    divergences: tuple[Divergence, ...] = ()
    missing: tuple[VenueMissing, ...] = ()


# -------------------------------------------------------------------- whales


@dataclass(frozen=True, slots=True)
class WhalePositionView:
    """One whale position for the symbol."""

    address: str
    label: str | None
    side: Literal["long", "short"]
    size: float
    notional_usd: float
    entry_price: float | None = None
    leverage: float | None = None
    liquidation_price: float | None = None
    unrealized_pnl: float | None = None


@dataclass(frozen=True, slots=True)
class PositionChange:
    """A change of one trader's position between two observations (from its own list)."""

    address: str
    label: str | None
    kind: ChangeKind
    side: Literal["long", "short"]
    notional_usd: float
    previous_side: Literal["long", "short"] | None = None
    previous_notional_usd: float = 0.0
    delta_usd: float = 0.0


@dataclass(frozen=True, slots=True)
class RankMove:
    """A position that entered or left the ranked top-N list (not necessarily opened/closed).

    ``still_open`` tells, when the trader's own list is known, whether it is still held.
    """

    address: str
    label: str | None
    kind: RankMoveKind
    side: Literal["long", "short"]
    notional_usd: float
    still_open: bool | None = None


@dataclass(frozen=True, slots=True)
class WhaleAnalysis:
    """Whale positioning in the symbol: totals, largest positions, changes since before."""

    coin: str
    as_of: datetime
    source: str
    addresses_covered: int
    addresses_with_position: int
    long_notional_usd: float
    short_notional_usd: float
    net_notional_usd: float
    long_count: int = 0
    short_count: int = 0
    largest: tuple[WhalePositionView, ...] = ()
    previous_as_of: datetime | None = None
    changes: tuple[PositionChange, ...] = ()
    rank_moves: tuple[RankMove, ...] = ()


# ---------------------------------------------------------------------- bias


@dataclass(frozen=True, slots=True)
class BiasReason:
    """One typed fact behind the bias: ``contribution`` = ±weight × strength in [−w, w]."""

    indicator: str
    timeframe: str | None
    value: float | None
    direction: ReasonDirection
    weight: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Bias:
    """Score in [−1, 1], its label and confidence, and the reasons (largest first)."""

    score: float
    label: BiasLabel
    confidence: Confidence
    reasons: tuple[BiasReason, ...] = ()


# ------------------------------------------------------------------- outlook


@dataclass(frozen=True, slots=True)
class Trigger:
    """A level that confirms (``target``) or invalidates (``reclaim``) the scenario."""

    role: Literal["target", "reclaim", "invalidation"]
    level: Level


@dataclass(frozen=True, slots=True)
class Outlook:
    """What's next: continuation, pullback or reversal of the prevailing direction."""

    scenario: Scenario
    direction: Direction | None
    triggers: tuple[Trigger, ...] = ()


# -------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class Event:
    """A notable episode. ``change_pct`` is signed; ``ratio`` e.g. a volume multiple.

    Fields not meaningful for a kind stay None (a range has low/high in price_from/to).
    """

    kind: EventKind
    timeframe: str
    start: datetime
    end: datetime
    change_pct: float | None = None
    price_from: float | None = None
    price_to: float | None = None
    level_price: float | None = None
    level_label: str | None = None
    ratio: float | None = None
    direction: Direction | None = None


# ---------------------------------------------------------------------- odds

Edge = Literal["up", "down"]
SetupKind = Literal["uptrend", "dip_in_uptrend", "bounce_in_downtrend", "downtrend"]


@dataclass(frozen=True, slots=True)
class HorizonOdds:
    """What comparable setups did over one horizon, and the probability the post states.

    ``frequency`` is the share of comparable setups that ended higher; ``base_rate`` the
    share of *all* days (climatology) before the post. ``probability`` is the stated
    chance of a higher price: the base rate unless the setups differ from it beyond
    chance in both halves of the record (``lean``) *and* that rule's earlier calls for
    the setup (``tested`` of them, graded) beat the base rate (``tested_skill`` > 0): then
    ``edge`` is set and the setups' frequency, shrunk towards the base rate, is stated.
    ``low_pct``/``high_pct`` bound the middle 80% of the setups' moves.
    """

    horizon: timedelta
    samples: int
    ups: int
    frequency: float
    median_pct: float
    low_pct: float
    high_pct: float
    base_samples: int
    base_rate: float
    probability: float
    edge: Edge | None
    since: datetime
    lean: Edge | None = None
    tested: int = 0
    tested_skill: float | None = None


@dataclass(frozen=True, slots=True)
class Odds:
    """The setup at the last daily close and the odds per horizon (24h first)."""

    setup: SetupKind
    as_of_close: datetime
    horizons: tuple[HorizonOdds, ...]

    def at(self, horizon: timedelta) -> HorizonOdds | None:
        """The odds of one horizon, if computed."""
        return next((h for h in self.horizons if h.horizon == horizon), None)


# ------------------------------------------------------------------ analysis


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the commentary may say about ``symbol`` at ``as_of``."""

    symbol: str
    as_of: datetime
    source: SourceKind
    price: PriceAction | None
    indicators: Mapping[str, IndicatorSet]
    trend: Mapping[str, TrendReading]
    levels: Levels
    derivatives: Derivatives
    whales: WhaleAnalysis | None
    bias: Bias
    outlook: Outlook
    events: tuple[Event, ...] = ()
    odds: Odds | None = None
    #: what the snapshot lacked (missing venues, stale ages, mark-price basis, no history)
    coverage: Coverage = field(default_factory=Coverage)

    def event(self, kind: EventKind) -> Event | None:
        """The first event of ``kind``, if any."""
        return next((e for e in self.events if e.kind == kind), None)
