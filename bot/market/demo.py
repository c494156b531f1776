"""DemoSource: the bundled, deterministic simulated market (offline, no wall clock).

Snapshots are cut from the fixed demo history of ``demo_script`` at ``as_of``: only bars
closed by then are visible, and the 4h/1d series end with a still-forming candle built
from the closed 1h bars since that bar opened (the same rule as live and replay).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import numpy as np

from bot.config import Settings, SymbolSettings
from bot.errors import (
    BadArgumentError,
    MissingReason,
    NoDataError,
    OutOfRangeError,
    UnknownSymbolError,
)
from bot.market.demo_script import (
    DEMO_END,
    DEMO_EPISODES,
    DEMO_START,
    DemoSeries,
    demo_series,
)
from bot.market.models import (
    TIMEFRAME_MS,
    CandleSeries,
    Deposit,
    LargeTrade,
    MarketSnapshot,
    Missing,
    Ticker,
    VenueDerivatives,
    WhaleBook,
    WhalePosition,
    WhaleTrader,
    ms_from_utc,
)
from bot.market.source import configured_symbol
from bot.symbols import DEMO_VENUE, Listing, SymbolResolver, normalise

__all__ = ["DEMO_END", "DEMO_EPISODES", "DEMO_FIRST_AT", "DemoSource"]

#: The earliest moment a snapshot may be taken (leaves >= 250 daily bars of warm-up).
DEMO_FIRST_AT = DEMO_START + timedelta(days=260)


@dataclass(frozen=True, slots=True)
class _VenueProfile:
    """How one venue's derivatives figures relate to the demo market."""

    oi_share: float
    volume_mult: float
    long_short: float
    retail: bool
    funding_mult: float
    interval_hours: float
    basis: float
    phase: float


_VENUES: Mapping[str, _VenueProfile] = MappingProxyType(
    {
        "binanceusdm": _VenueProfile(0.35, 3.0, 1.9, True, 1.0, 8, 0.0002, 0.0),
        "okx": _VenueProfile(0.20, 1.2, 1.95, True, 0.9, 8, 0.00015, 1.3),
        "bybit": _VenueProfile(0.27, 1.6, 1.1, False, 1.1, 8, 0.0001, 2.1),
        "hyperliquid": _VenueProfile(0.18, 0.8, 0.95, False, 1.3, 1, -0.0001, 3.7),
    }
)


class DemoSource:
    """A MarketSource over the simulated demo market, frozen at ``at`` (default DEMO_END)."""

    def __init__(self, settings: Settings, at: datetime | None = None) -> None:
        when = DEMO_END if at is None else at
        if when.tzinfo is None:
            raise BadArgumentError("demo time must be timezone-aware (UTC)")
        if not DEMO_FIRST_AT <= when <= DEMO_END:
            raise OutOfRangeError(
                f"demo market covers {DEMO_FIRST_AT.isoformat()} .. {DEMO_END.isoformat()}, "
                f"not {when.isoformat()}"
            )
        self.settings = settings
        self.as_of = when.astimezone(UTC)

    def listing(self) -> Listing:
        """No venue lists coins here: real coins resolve to "the demo has no data for X"."""
        return Listing(DEMO_VENUE, frozenset())

    def at_time(self, at: datetime) -> DemoSource:
        """The same demo market seen at another moment (generated data is shared)."""
        return DemoSource(self.settings, at)

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        """The demo snapshot of ``symbol`` at this source's ``as_of``."""
        return self.snapshot_now(symbol)

    def _configured(self, symbol: str) -> SymbolSettings:
        """The configured ``symbol``; a real coin it does not simulate is ``NOT_SIMULATED``."""
        try:
            return configured_symbol(self.settings, symbol)
        except UnknownSymbolError as e:
            if e.suggestion is None and SymbolResolver(self.settings).is_known_coin(symbol):
                raise NoDataError(normalise(symbol).upper(), MissingReason.NOT_SIMULATED,
                                  offered=self.settings.symbol_names) from None
            raise

    def snapshot_now(self, symbol: str) -> MarketSnapshot:
        """Synchronous ``snapshot`` (the demo market needs no I/O)."""
        conf = self._configured(symbol)
        series = demo_series(conf.name)
        as_of_ms = ms_from_utc(self.as_of)
        k = series.index_closing_at(as_of_ms)
        bars = self.settings.timeframes.bars
        candles = {
            tf: _candles(series, k, tf, bars, as_of_ms) for tf in self.settings.timeframes.enabled
        }
        derivatives, missing = self._derivatives(conf, series, k)
        return MarketSnapshot(
            symbol=conf.name,
            as_of=self.as_of,
            source="demo",
            candles=MappingProxyType(candles),
            ticker=_ticker(conf.spot, series, k, self.as_of),
            derivatives=derivatives,
            whales=whale_book(self.as_of, conf.name, self.settings.whales.large_trade_usd),
            missing=missing,
            venues_requested=self.settings.venues.derivatives,
        )

    async def close(self) -> None:
        """Nothing to release."""

    def _derivatives(
        self, conf: SymbolSettings, series: DemoSeries, k: int
    ) -> tuple[tuple[VenueDerivatives, ...], tuple[Missing, ...]]:
        stats: list[VenueDerivatives] = []
        missing: list[Missing] = []
        for venue in self.settings.venues.derivatives:
            profile = _VENUES.get(venue)
            market = conf.markets.get(venue)
            if profile is None or market is None:
                reason = (MissingReason.NOT_CONFIGURED if market is None
                          else MissingReason.NOT_SIMULATED)
                missing.append(Missing(venue, "*", reason, temporary=False))
                continue
            stats.append(_venue_stats(venue, market, profile, series, k, self.as_of))
        return tuple(stats), tuple(missing)


def _candles(series: DemoSeries, k: int, tf: str, bars: int, as_of_ms: int) -> CandleSeries:
    """The last ``bars`` bars of ``tf`` visible at ``as_of_ms`` (last 1h bar index ``k``)."""
    if tf == "1h":
        lo = max(0, k + 1 - bars)
        return CandleSeries.from_arrays(
            tf, series.open_time[lo : k + 1], series.open[lo : k + 1], series.high[lo : k + 1],
            series.low[lo : k + 1], series.close[lo : k + 1], series.volume[lo : k + 1],
        )
    tf_ms = TIMEFRAME_MS[tf]
    last_bucket = int(series.open_time[k]) // tf_ms * tf_ms
    first_ms = max(last_bucket - (bars - 1) * tf_ms, int(series.open_time[0]))
    lo = int(np.searchsorted(series.open_time, first_ms))
    times = series.open_time[lo : k + 1]
    buckets = times // tf_ms * tf_ms
    starts = np.flatnonzero(np.r_[True, np.diff(buckets) != 0])
    ends = np.r_[starts[1:], len(times)] - 1
    return CandleSeries.from_arrays(
        tf,
        buckets[starts],
        series.open[lo : k + 1][starts],
        np.maximum.reduceat(series.high[lo : k + 1], starts),
        np.minimum.reduceat(series.low[lo : k + 1], starts),
        series.close[lo : k + 1][ends],
        np.add.reduceat(series.volume[lo : k + 1], starts),
        forming=last_bucket + tf_ms > as_of_ms,
    )


def _ticker(spot: str, series: DemoSeries, k: int, as_of: datetime) -> Ticker:
    """Rolling 24h ticker from the last 24 closed 1h bars."""
    lo = max(0, k - 23)
    last = float(series.close[k])
    quote = series.volume[lo : k + 1] * series.close[lo : k + 1]
    return Ticker(
        symbol=spot,
        last=last,
        timestamp=as_of,
        bid=last * (1 - 0.00005),
        ask=last * (1 + 0.00005),
        high_24h=float(series.high[lo : k + 1].max()),
        low_24h=float(series.low[lo : k + 1].min()),
        open_24h=float(series.open[lo]),
        volume_24h_quote=float(quote.sum()),
    )


def _wobble(k: int, phase: float) -> float:
    """A small deterministic per-venue deviation so venues never print identical figures."""
    return 1.0 + 0.03 * math.sin(k * 0.37 + phase)


def _venue_stats(
    venue: str, market: str, p: _VenueProfile, s: DemoSeries, k: int, as_of: datetime
) -> VenueDerivatives:
    """One venue's derivatives figures at bar ``k`` (all in USD)."""
    ago = max(0, k - 24)
    quote = s.volume * s.close
    vol_now = float(quote[max(0, k - 23) : k + 1].sum()) * p.volume_mult
    vol_prev = float(quote[max(0, k - 47) : max(0, k - 23)].sum()) * p.volume_mult
    crowd = s.ls_retail if p.retail else s.ls_pro
    long_short = p.long_short * float(crowd[k]) * _wobble(k, p.phase)
    funding_8h = float(s.funding_8h[k]) * p.funding_mult * _wobble(k, p.phase + 0.5)
    return VenueDerivatives(
        venue=venue,
        market_symbol=market,
        timestamp=as_of,
        open_interest_usd=float(s.oi_coins[k] * s.close[k]) * p.oi_share * _wobble(k, p.phase),
        open_interest_usd_24h_ago=(
            float(s.oi_coins[ago] * s.close[ago]) * p.oi_share * _wobble(ago, p.phase)
        ),
        volume_24h_usd=vol_now,
        volume_prev_24h_usd=vol_prev,
        long_short_ratio=long_short,
        top_trader_long_short_ratio=1.0 + (long_short - 1.0) * 0.4 if p.retail else None,
        funding_rate=funding_8h * p.interval_hours / 8.0,
        funding_interval_hours=p.interval_hours,
        funding_rate_8h=funding_8h,
        mark_price=float(s.close[k]) * (1 + p.basis),
    )


# Whale fills: (trader letter, coin, hours before as_of, target signed USD exposure, leverage).
# Between the previous book (6h earlier) and now: A adds to BTC, C opens a SOL short,
# D closes its ETH long and E flips its ETH short into a long.
_WHALE_FILLS: tuple[tuple[str, str, int, float, float], ...] = (
    ("A", "BTC", 72, 40e6, 10), ("A", "BTC", 3, 60e6, 10), ("A", "ETH", 120, 20e6, 5),
    ("B", "BTC", 200, -45e6, 20), ("C", "BTC", 50, 25e6, 8), ("C", "SOL", 3, -12e6, 10),
    ("D", "ETH", 90, 30e6, 15), ("D", "ETH", 2, 0.0, 15), ("D", "SOL", 30, 8e6, 5),
    ("E", "ETH", 40, -28e6, 15), ("E", "ETH", 3, 35e6, 15), ("F", "BTC", 160, -18e6, 3),
    ("G", "SOL", 400, 15e6, 3), ("G", "ETH", 60, -10e6, 10), ("H", "BTC", 300, 80e6, 2),
)
_PREVIOUS_HOURS = 6
_MAINTENANCE = 0.005


def _whale_address(letter: str) -> str:
    return "0x" + hashlib.sha1(f"demo whale {letter}".encode()).hexdigest()


def _whale_position(
    letter: str, coin: str, k: int, fills: list[tuple[int, float, float]]
) -> WhalePosition | None:
    """Net position of one trader in ``coin`` after ``fills`` (hours ago, target USD, lev)."""
    closes = demo_series(coin).close
    coins, entry, lev = 0.0, 0.0, 1.0
    for hours_ago, target_usd, leverage in sorted(fills, key=lambda f: -f[0]):
        price = float(closes[k - hours_ago])
        target = target_usd / price
        if target == 0.0:
            coins, entry = 0.0, 0.0
        elif coins * target <= 0:
            coins, entry = target, price
        elif abs(target) > abs(coins):
            entry = (entry * abs(coins) + price * (abs(target) - abs(coins))) / abs(target)
            coins = target
        else:
            coins = target
        lev = leverage
    if coins == 0.0:
        return None
    mark = float(closes[k])
    long = coins > 0
    liq = entry * (1 - 1 / lev + _MAINTENANCE) if long else entry * (1 + 1 / lev - _MAINTENANCE)
    return WhalePosition(
        address=_whale_address(letter), coin=coin, side="long" if long else "short",
        size=abs(coins), notional_usd=abs(coins) * mark, entry_price=entry, leverage=lev,
        liquidation_price=liq, unrealized_pnl=(mark - entry) * coins,
        label=f"Demo whale {letter}",
    )


def _traders(k: int, skip_hours: int) -> tuple[WhaleTrader, ...]:
    """Every demo whale's positions at bar ``k``, from the fills made ``skip_hours`` or
    more before ``as_of`` (``k`` is then the bar ``skip_hours`` before ``as_of``)."""
    traders: list[WhaleTrader] = []
    for letter in sorted({f[0] for f in _WHALE_FILLS}):
        positions: list[WhalePosition] = []
        for coin in ("BTC", "ETH", "SOL"):
            fills = [
                (h - skip_hours, usd, lev)
                for who, c, h, usd, lev in _WHALE_FILLS
                if who == letter and c == coin and h >= skip_hours
            ]
            pos = _whale_position(letter, coin, k, fills) if fills else None
            if pos is not None:
                positions.append(pos)
        margin = sum(p.notional_usd / (p.leverage or 1.0) for p in positions)
        pnl = sum(p.unrealized_pnl or 0.0 for p in positions)
        cash = 2e6 * (1 + "ABCDEFGH".index(letter))
        traders.append(
            WhaleTrader(_whale_address(letter), tuple(positions), f"Demo whale {letter}",
                        margin + pnl + cash)
        )
    return tuple(traders)


def _ranked(traders: tuple[WhaleTrader, ...]) -> tuple[WhalePosition, ...]:
    every = [p for t in traders for p in t.positions]
    return tuple(sorted(every, key=lambda p: -p.notional_usd)[:10])


def whale_book(as_of: datetime, symbol: str, large_trade_usd: float) -> WhaleBook:
    """The demo whales at ``as_of``, with ``previous`` = their book 6 hours earlier."""
    k = demo_series("BTC").index_closing_at(ms_from_utc(as_of))
    before = as_of - timedelta(hours=_PREVIOUS_HOURS)
    now = _traders(k, 0)
    old = _traders(k - _PREVIOUS_HOURS, _PREVIOUS_HOURS)
    previous = WhaleBook(before, "demo", old, _ranked(old))
    closes = demo_series(symbol).close
    trades = tuple(
        LargeTrade(
            venue="hyperliquid",
            timestamp=as_of - timedelta(hours=h),
            side="buy" if closes[k - h] >= closes[k - h - 1] else "sell",
            price=float(closes[k - h]),
            amount=large_trade_usd * mult / float(closes[k - h]),
            notional_usd=large_trade_usd * mult,
        )
        for h, mult in ((1, 1.6), (2, 2.4), (4, 4.1))
    )
    deposits = (
        Deposit(_whale_address("A"), as_of - timedelta(hours=2), 5e6, "Demo whale A"),
        Deposit(_whale_address("F"), as_of - timedelta(hours=5), -2e6, "Demo whale F"),
    )
    return WhaleBook(as_of, "demo", now, _ranked(now), trades, deposits, previous)
