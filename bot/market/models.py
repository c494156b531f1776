"""The typed market model every part of the bot consumes.

All snapshots are frozen dataclasses; all times are timezone-aware UTC datetimes.
A value that could not be obtained is ``None`` and the reason is recorded in a
``Missing`` entry (per venue and metric), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

from bot.errors import MissingReason

Timeframe = Literal["1h", "4h", "1d"]
TIMEFRAMES: tuple[Timeframe, ...] = ("1h", "4h", "1d")
TIMEFRAME_MS: Mapping[str, int] = MappingProxyType(
    {"1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000}
)
SourceKind = Literal["live", "replay", "demo"]
Side = Literal["long", "short"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def utc_from_ms(ms: int | float) -> datetime:
    """Milliseconds since the epoch → aware UTC datetime."""
    return datetime.fromtimestamp(ms / 1000.0, tz=UTC)


def utc_from_iso(text: str) -> datetime:
    """ISO-8601 text (``Z`` or an offset; naive means UTC) → aware UTC datetime."""
    when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def iso_from_utc(when: datetime) -> str:
    """Aware datetime → ISO-8601 UTC text ending in ``Z`` (``2026-02-04T12:00:00Z``)."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def ms_from_utc(when: datetime) -> int:
    """Aware datetime → milliseconds since the epoch (naive input is rejected)."""
    if when.tzinfo is None:
        raise ValueError("naive datetime: the market model uses aware UTC datetimes only")
    return round(when.timestamp() * 1000)


def _frozen(a: npt.ArrayLike, dtype: type) -> npt.NDArray[np.generic]:
    arr: npt.NDArray[np.generic] = np.array(a, dtype=dtype, copy=True)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, slots=True, eq=False)
class CandleSeries:
    """OHLCV bars of one timeframe, oldest first, as read-only numpy arrays.

    ``open_time`` is milliseconds since the epoch (UTC). When ``forming`` is true
    the last bar is the still-forming candle at the snapshot's ``as_of``: its
    close is the last traded price and its high/low/volume cover only the part
    of the bar that has elapsed.
    """

    timeframe: str
    open_time: IntArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray
    forming: bool = False

    @classmethod
    def from_arrays(
        cls,
        timeframe: str,
        open_time: npt.ArrayLike,
        open_: npt.ArrayLike,
        high: npt.ArrayLike,
        low: npt.ArrayLike,
        close: npt.ArrayLike,
        volume: npt.ArrayLike,
        forming: bool = False,
    ) -> CandleSeries:
        """Build a series, copying inputs into read-only arrays."""
        ot = _frozen(open_time, np.int64)
        o, h, lo, c, v = (_frozen(x, np.float64) for x in (open_, high, low, close, volume))
        if any(len(x) != len(ot) for x in (o, h, lo, c, v)):
            raise ValueError("candle columns differ in length")
        return cls(timeframe, ot, o, h, lo, c, v, forming)  # type: ignore[arg-type]

    @classmethod
    def empty(cls, timeframe: str) -> CandleSeries:
        """A series with no bars."""
        return cls.from_arrays(timeframe, [], [], [], [], [], [])

    def __len__(self) -> int:
        return len(self.open_time)

    @property
    def interval_ms(self) -> int:
        """Bar length in milliseconds."""
        return TIMEFRAME_MS[self.timeframe]

    def time_at(self, index: int) -> datetime:
        """Open time of bar ``index`` as an aware UTC datetime."""
        return utc_from_ms(int(self.open_time[index]))

    def tail(self, n: int) -> CandleSeries:
        """The last ``n`` bars."""
        return self.slice(max(0, len(self) - n), len(self))

    def slice(self, start: int, stop: int) -> CandleSeries:
        """Bars ``start:stop``; the forming flag survives only if the last bar is kept."""
        keep_forming = self.forming and stop >= len(self)
        return CandleSeries.from_arrays(
            self.timeframe,
            self.open_time[start:stop],
            self.open[start:stop],
            self.high[start:stop],
            self.low[start:stop],
            self.close[start:stop],
            self.volume[start:stop],
            forming=keep_forming,
        )


@dataclass(frozen=True, slots=True)
class Ticker:
    """Spot ticker at ``timestamp``. Rolling 24h figures where the source has them."""

    symbol: str
    last: float
    timestamp: datetime
    bid: float | None = None
    ask: float | None = None
    high_24h: float | None = None
    low_24h: float | None = None
    open_24h: float | None = None
    volume_24h_quote: float | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    """Why a metric (or a whole venue, ``metric == "*"``) has no value."""

    venue: str
    metric: str
    reason: MissingReason
    temporary: bool = True


@dataclass(frozen=True, slots=True)
class VenueDerivatives:
    """Derivatives metrics of one venue's perpetual for the symbol, in USD.

    ``funding_rate_8h`` is the current funding normalised to an 8-hour period;
    ``funding_rate`` and ``funding_interval_hours`` are the venue's native ones.
    ``stale_seconds`` maps a metric to the age of a last-good value served after a
    venue error (stale-while-error); fresh metrics are absent from it.
    """

    venue: str
    market_symbol: str
    timestamp: datetime
    open_interest_usd: float | None = None
    open_interest_usd_24h_ago: float | None = None
    volume_24h_usd: float | None = None
    volume_prev_24h_usd: float | None = None
    long_short_ratio: float | None = None
    top_trader_long_short_ratio: float | None = None
    funding_rate: float | None = None
    funding_interval_hours: float | None = None
    funding_rate_8h: float | None = None
    mark_price: float | None = None
    stale_seconds: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WhalePosition:
    """One open perpetual position of a tracked or top-ranked address."""

    address: str
    coin: str
    side: Side
    size: float
    notional_usd: float
    entry_price: float | None = None
    leverage: float | None = None
    liquidation_price: float | None = None
    unrealized_pnl: float | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class WhaleTrader:
    """An address with its full list of open positions at the observation time."""

    address: str
    positions: tuple[WhalePosition, ...]
    label: str | None = None
    account_value: float | None = None


@dataclass(frozen=True, slots=True)
class LargeTrade:
    """A single trade whose notional met the configured threshold."""

    venue: str
    timestamp: datetime
    side: Literal["buy", "sell"]
    price: float
    amount: float
    notional_usd: float


@dataclass(frozen=True, slots=True)
class Deposit:
    """A USDC deposit (or withdrawal, negative) of a tracked address."""

    address: str
    timestamp: datetime
    amount_usd: float
    label: str | None = None


@dataclass(frozen=True, slots=True)
class WhaleBook:
    """What the whales held at ``as_of``.

    ``traders`` carry each address's own full position list (use these to decide
    whether a position was opened or closed). ``ranked_positions`` is a ranked
    top-N list across all traders: leaving it does not mean a position was closed.
    ``previous`` is the prior observation when known, for diffs.
    """

    as_of: datetime
    source: str
    traders: tuple[WhaleTrader, ...] = ()
    ranked_positions: tuple[WhalePosition, ...] = ()
    large_trades: tuple[LargeTrade, ...] = ()
    deposits: tuple[Deposit, ...] = ()
    previous: WhaleBook | None = None


PriceBasis = Literal["spot", "mark"]


@dataclass(frozen=True, slots=True)
class StaleValue:
    """A last good value served after its venue failed, with its age."""

    venue: str
    metric: str
    age_seconds: float


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a snapshot lacks and where its price came from — codes only, worded in templates.

    ``price_basis`` is ``"mark"`` when the spot venue gave no price and the price is
    the perpetual venues' median mark (``price_venues``); ``spot_missing`` says why.
    ``no_history``: no candles at all, so no trend, levels or price story.
    ``missing_venues``: venues that gave nothing (``metric == "*"``), spot included.
    """

    price_basis: PriceBasis = "spot"
    price_venues: tuple[str, ...] = ()
    spot_venue: str = ""
    spot_missing: Missing | None = None
    no_history: bool = False
    history_missing: Missing | None = None
    missing_venues: tuple[Missing, ...] = ()
    stale: tuple[StaleValue, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether nothing is missing or stale."""
        return not (self.spot_missing or self.no_history or self.missing_venues or self.stale)


@dataclass(frozen=True, slots=True)
class MarketSnapshot:
    """Everything known about one symbol at ``as_of``: one shared object for all chats."""

    symbol: str
    as_of: datetime
    source: SourceKind
    candles: Mapping[str, CandleSeries]
    ticker: Ticker | None = None
    derivatives: tuple[VenueDerivatives, ...] = ()
    whales: WhaleBook | None = None
    missing: tuple[Missing, ...] = ()
    venues_requested: tuple[str, ...] = ()
    #: Long daily history (closed bars before ``as_of``) for the outlook's base rates;
    #: None when the source has only ``candles["1d"]``.
    daily_history: CandleSeries | None = None
    spot_venue: str = ""
    price_basis: PriceBasis = "spot"
    price_venues: tuple[str, ...] = ()
    #: age in seconds of spot values served stale (``"ticker"``, ``"candles_1h"``…)
    stale_seconds: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.as_of.tzinfo is None:
            raise ValueError("MarketSnapshot.as_of must be timezone-aware UTC")

    @property
    def last_price(self) -> float | None:
        """The last traded price: ticker first, else the newest candle's close."""
        if self.ticker is not None:
            return self.ticker.last
        for tf in TIMEFRAMES:
            series = self.candles.get(tf)
            if series is not None and len(series):
                return float(series.close[-1])
        return None

    def series(self, timeframe: str) -> CandleSeries:
        """Candles of ``timeframe`` (an empty series when the source has none)."""
        return self.candles.get(timeframe) or CandleSeries.empty(timeframe)

    def missing_for(self, venue: str) -> tuple[Missing, ...]:
        """Missing entries of one venue."""
        return tuple(m for m in self.missing if m.venue == venue)
