"""ReplaySource: snapshots of recorded real market data at a chosen time, no look-ahead.

It reads a folder (and its subfolders) once: kline CSVs, funding CSVs, Hyperliquid
whale snapshot JSON files and ``*.jsonl`` recordings (see ``docs/recording-format.md``).
``at_time`` makes cheap copies at other times that share the parsed data.
"""

from __future__ import annotations

import bisect
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from bot.config import Settings, SymbolSettings
from bot.errors import MissingReason, NoDataError, OutOfRangeError, ReplayDataError
from bot.market.models import (
    MarketSnapshot,
    Missing,
    VenueDerivatives,
    WhaleBook,
    ms_from_utc,
    utc_from_ms,
)
from bot.market.recording import read_snapshots
from bot.market.replay_candles import (
    candle_series,
    closed_history,
    covered_range_ms,
    settle_unsure,
    ticker_at,
)
from bot.market.replay_files import (
    FundingTable,
    KlineTable,
    classify_name,
    find_files,
    funding_venue,
    is_funding_csv,
    merge_klines,
    read_funding_csv,
    read_kline_csv,
)
from bot.market.source import configured_symbol
from bot.market.whale_snapshots import WHALE_SOURCE, is_whale_snapshot, read_whale_snapshot
from bot.market.whale_watch import WhaleSighting

log = logging.getLogger(__name__)

UNMEASURED_METRICS = (
    "open_interest_usd",
    "open_interest_usd_24h_ago",
    "volume_24h_usd",
    "volume_prev_24h_usd",
    "long_short_ratio",
    "top_trader_long_short_ratio",
)
MIN_WARMUP_BARS = 250


def market_id(ccxt_symbol: str) -> str:
    """ccxt symbol → exchange id: ``BTC/USDT`` and ``BTC/USDT:USDT`` → ``BTCUSDT``."""
    return ccxt_symbol.split(":")[0].replace("/", "").upper()


@dataclass
class _ReplayData:
    """Everything parsed from a replay folder; shared by ReplaySource copies."""

    directory: Path
    klines: dict[str, dict[str, KlineTable]]  # market id → timeframe → table
    funding: dict[tuple[str, str], FundingTable]  # (venue, market id) → table
    whale_paths: list[Path]
    recording_paths: list[Path]
    labels: dict[str, str]
    _whales: list[WhaleBook] | None = None
    _recordings: dict[str, tuple[list[datetime], list[MarketSnapshot]]] | None = None

    def whales(self) -> list[WhaleBook]:
        """Whale books from the JSON snapshots, oldest first (parsed on first use)."""
        if self._whales is None:
            books = [read_whale_snapshot(p, self.labels) for p in self.whale_paths]
            self._whales = sorted(books, key=lambda b: b.as_of)
        return self._whales

    def recorded_before(self, symbol: str, as_of: datetime) -> MarketSnapshot | None:
        """The latest recorded snapshot of ``symbol`` at or before ``as_of``."""
        if self._recordings is None:
            found: dict[str, list[MarketSnapshot]] = defaultdict(list)
            for path in self.recording_paths:
                for snap in read_snapshots(path):
                    found[snap.symbol.upper()].append(snap)
            self._recordings = {}
            for key, snaps in found.items():
                snaps.sort(key=lambda s: s.as_of)
                self._recordings[key] = ([s.as_of for s in snaps], snaps)
        times, snaps = self._recordings.get(symbol.upper(), ([], []))
        index = bisect.bisect_right(times, as_of) - 1
        return snaps[index] if index >= 0 else None


def _load(directory: Path, settings: Settings) -> _ReplayData:
    if not directory.is_dir():
        raise ReplayDataError(f"replay folder not found: {directory}")
    frames: dict[tuple[str, str], list[pd.DataFrame]] = defaultdict(list)
    funding: dict[tuple[str, str], FundingTable] = {}
    for path in find_files(directory, (".csv",)):
        market, timeframe = classify_name(path)
        if market is None:
            log.info("replay: skipping %s (no symbol such as BTCUSDT in its name)", path)
        elif is_funding_csv(path):
            venue = funding_venue(path)
            funding[(venue, market)] = read_funding_csv(path, venue, market)
        elif timeframe is None:
            log.info("replay: skipping %s (no timeframe such as 1h in its name)", path)
        else:
            frames[(market, timeframe)].append(read_kline_csv(path, timeframe))
    klines: dict[str, dict[str, KlineTable]] = defaultdict(dict)
    for (market, timeframe), parts in frames.items():
        klines[market][timeframe] = merge_klines(timeframe, parts)
    for market, tables in klines.items():
        klines[market] = {tf: t for tf, t in settle_unsure(tables).items() if len(t)}
    jsons = find_files(directory, (".json",))
    return _ReplayData(
        directory=directory,
        klines=dict(klines),
        funding=funding,
        whale_paths=[p for p in jsons if is_whale_snapshot(p)],
        recording_paths=find_files(directory, (".jsonl",)),
        labels={w.address.lower(): w.label for w in settings.whales.tracked},
    )


class ReplaySource:
    """A MarketSource over a folder of real data, frozen at ``at`` (None: the data's end).

    Side data (funding, whale snapshots, recordings) older than ``max_side_age``
    at ``as_of`` is treated as absent and reported in ``missing``.
    """

    def __init__(
        self,
        directory: Path,
        at: datetime | None,
        settings: Settings,
        *,
        max_side_age: timedelta = timedelta(days=1),
        _data: _ReplayData | None = None,
    ) -> None:
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        self.directory = Path(directory)
        self.at = at.astimezone(UTC) if at is not None else None
        self.settings = settings
        self.max_side_age = max_side_age
        self._data = _data if _data is not None else _load(self.directory, settings)

    def at_time(self, at: datetime | None) -> ReplaySource:
        """The same data seen at another time (no re-parsing)."""
        return ReplaySource(
            self.directory, at, self.settings, max_side_age=self.max_side_age, _data=self._data
        )

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        """The snapshot of ``symbol`` at this source's time."""
        return self.snapshot_now(symbol)

    async def whale_sighting(self, addresses: Sequence[tuple[str, str]]) -> WhaleSighting:
        """The ranked top list of the latest whale snapshot at or before this source's time
        (a replay cannot poll addresses: ``accounts`` stays empty)."""
        at = self.at or datetime.now(UTC)
        books = [b for b in self._data.whales() if b.as_of <= at]
        if not books:
            return WhaleSighting(at, missing=(
                Missing(WHALE_SOURCE, "whales", MissingReason.NO_WHALE_SNAPSHOT, False),))
        return WhaleSighting(at, ranked=books[-1].ranked_positions, ranked_as_of=books[-1].as_of)

    async def close(self) -> None:
        """Nothing to release: all data is in memory."""

    def _symbol(self, name: str) -> tuple[SymbolSettings, dict[str, KlineTable]]:
        config = configured_symbol(self.settings, name)
        tables = self._data.klines.get(market_id(config.spot))
        if not tables:  # for good: retrying the same folder cannot help
            raise NoDataError(
                config.name, MissingReason.NOT_IN_REPLAY, str(self._data.directory),
                detail=f"no kline CSVs for {market_id(config.spot)} ({config.name}) "
                       f"under {self._data.directory}",
            )
        return config, tables

    def covered_range(self, symbol: str) -> tuple[datetime, datetime]:
        """First and last time a snapshot of ``symbol`` can be taken at."""
        _, tables = self._symbol(symbol)
        first, last = covered_range_ms(tables)
        return utc_from_ms(first), utc_from_ms(last)

    def snapshot_now(self, symbol: str) -> MarketSnapshot:
        """Synchronous :meth:`snapshot` (everything is in memory)."""
        config, tables = self._symbol(symbol)
        first, last = covered_range_ms(tables)
        as_of_ms = ms_from_utc(self.at) if self.at is not None else last
        if not first <= as_of_ms <= last:
            raise OutOfRangeError(
                f"--at {utc_from_ms(as_of_ms).isoformat()} is outside the replay data for "
                f"{config.name}: {utc_from_ms(first).isoformat()} to "
                f"{utc_from_ms(last).isoformat()}"
            )
        as_of = utc_from_ms(as_of_ms)
        bars = max(self.settings.timeframes.bars, MIN_WARMUP_BARS)
        every = (
            candle_series(tf, tables, as_of_ms, bars)
            for tf in self.settings.timeframes.enabled
            if tf in tables
        )
        candles = {series.timeframe: series for series in every if len(series)}
        recorded = self._data.recorded_before(config.name, as_of)
        if recorded is not None and as_of - recorded.as_of > self.max_side_age:
            recorded = None
        derivatives, missing = self._derivatives(config, as_of, recorded)
        whales = self._whales(as_of, recorded)
        if whales is None:
            missing.append(
                Missing(WHALE_SOURCE, "whales", MissingReason.NO_WHALE_SNAPSHOT, False)
            )
        return MarketSnapshot(
            symbol=config.name,
            as_of=as_of,
            source="replay",
            candles=MappingProxyType(candles),
            ticker=ticker_at(config.spot, tables, as_of_ms),
            derivatives=tuple(derivatives),
            whales=whales,
            missing=tuple(missing),
            venues_requested=tuple(self.settings.venues.derivatives),
            daily_history=closed_history(tables, as_of_ms),
        )

    def _funding_stats(
        self, venue: str, market: str, as_of: datetime
    ) -> VenueDerivatives | None:
        table = self._data.funding.get((venue, market_id(market)))
        if table is None:
            return None
        index = int(np.searchsorted(table.time, ms_from_utc(as_of), side="right")) - 1
        if index < 0 or as_of - utc_from_ms(int(table.time[index])) > self.max_side_age:
            return None
        rate, hours = float(table.rate[index]), table.interval_hours
        mark = float(table.mark_price[index])
        return VenueDerivatives(
            venue=venue,
            market_symbol=market,
            timestamp=utc_from_ms(int(table.time[index])),
            funding_rate=rate,
            funding_interval_hours=hours,
            funding_rate_8h=rate * 8.0 / hours,
            mark_price=None if mark != mark else mark,
        )

    def _derivatives(
        self, config: SymbolSettings, as_of: datetime, recorded: MarketSnapshot | None
    ) -> tuple[list[VenueDerivatives], list[Missing]]:
        found: list[VenueDerivatives] = []
        missing: list[Missing] = []
        for venue in self.settings.venues.derivatives:
            market = config.markets.get(venue, config.spot)
            from_csv = self._funding_stats(venue, market, as_of)
            from_rec = next(
                (d for d in (recorded.derivatives if recorded else ()) if d.venue == venue), None
            )
            if from_rec is not None and recorded is not None and (
                from_csv is None or from_rec.timestamp >= from_csv.timestamp
            ):
                found.append(from_rec)
                missing.extend(m for m in recorded.missing if m.venue == venue)
            elif from_csv is not None:
                found.append(from_csv)
                missing.extend(Missing(venue, m, MissingReason.NOT_IN_REPLAY, False)
                               for m in UNMEASURED_METRICS)
            else:
                missing.append(Missing(venue, "*", MissingReason.NOT_IN_REPLAY, False))
        return found, missing

    def _whales(self, as_of: datetime, recorded: MarketSnapshot | None) -> WhaleBook | None:
        books = list(self._data.whales())
        if recorded is not None and recorded.whales is not None:
            books.append(replace(recorded.whales, previous=None))
            books.sort(key=lambda b: b.as_of)
        index = bisect.bisect_right([b.as_of for b in books], as_of) - 1
        if index < 0 or as_of - books[index].as_of > self.max_side_age:
            return None
        previous = replace(books[index - 1], previous=None) if index > 0 else None
        return replace(books[index], previous=previous)
