"""Candlestick charts (mplfinance, Agg) drawn on one dedicated worker thread, cached.

pyplot keeps global state, so every chart is drawn by the single ``chart`` thread;
callers use ``ChartRenderer.render`` (async) or ``render_sync``. Every figure is closed.
Wording on the chart (title, legend, level labels) comes from ``templates/chart/labels.j2``.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import mplfinance as mpf
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from bot.analysis.indicators import dmi_series, moving_average
from bot.analysis.model import Analysis
from bot.commentary import formatting
from bot.commentary.render import environment
from bot.config import IndicatorSettings
from bot.market.models import CandleSeries, FloatArray, MarketSnapshot

ChartLevelKind = Literal["support", "resistance", "reversal"]
WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 100
DISPLAY_BARS = 120
SMA_PERIODS = (20, 50, 200)
SMA_COLOURS = {20: "#1f77b4", 50: "#ff7f0e", 200: "#9467bd"}
LEVEL_COLOURS = {"support": "#2ca02c", "resistance": "#d62728", "reversal": "#8c1aff"}
Y_PADDING = 0.06
#: Extra head-room above the highest price, as a share of the price range, for the
#: one-row moving-average legend so it never hides candles.
LEGEND_ROOM = 0.09
#: X-axis date format per timeframe (hourly charts need the hour to tell days apart).
DATE_FORMATS = {"1h": "%H:%M\n%d %b", "4h": "%d %b", "1d": "%d %b %y"}
LABEL_ROOM_BARS = 34
#: Labels closer than this fraction of the price axis would overlap.
LABEL_GAP_FRACTION = 0.035
#: DMI period when none is given (``[indicators] dmi`` in config.toml sets it).
DEFAULT_DMI_PERIOD = IndicatorSettings().dmi
#: Line colours of the DMI panel.
DMI_COLOURS = {"plus_di": "#2ca02c", "minus_di": "#d62728", "adx": "#333333"}


@dataclass(frozen=True, slots=True)
class ChartLevel:
    """A horizontal line: price, the level's code (``"sma.1d.50"``, worded in templates), role."""

    price: float
    label: str
    kind: ChartLevelKind


@dataclass(frozen=True, slots=True)
class ChartRequest:
    """What one chart shows; (symbol, timeframe, as_of, source, DMI period) is the cache key."""

    symbol: str
    timeframe: str
    as_of: datetime
    source: str
    series: CandleSeries
    levels: tuple[ChartLevel, ...] = ()
    dmi_period: int = DEFAULT_DMI_PERIOD

    @property
    def key(self) -> tuple[str, str, datetime, str, int]:
        """Cache key of this chart."""
        return (self.symbol, self.timeframe, self.as_of, self.source, self.dmi_period)


def _compact(value: float) -> str:
    """Volume tick labels such as 1.5k or 2M (not wording: a number format)."""
    for step, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= step:
            return formatting.number(value / step, digits=1) + suffix
    return formatting.number(value)


def _labels() -> Any:
    return environment("text").get_template("chart/labels.j2").make_module()


def _frame(series: CandleSeries) -> pd.DataFrame:
    index = pd.to_datetime(np.asarray(series.open_time), unit="ms", utc=True).tz_localize(None)
    return pd.DataFrame(
        {"Open": series.open, "High": series.high, "Low": series.low,
         "Close": series.close, "Volume": series.volume},
        index=pd.DatetimeIndex(index, name="Date"),
    )


def chart_series(request: ChartRequest) -> dict[str, FloatArray]:
    """The indicator lines the chart draws, over all its candles (shown or not).

    ``sma20``/``sma50``/``sma200`` on the price panel; ``plus_di``, ``minus_di`` and
    ``adx`` of ``request.dmi_period`` on the DMI panel (only with more than 30 candles).
    """
    s = request.series
    lines = {f"sma{p}": moving_average(s.close, "sma", p) for p in SMA_PERIODS}
    if len(s.close) > 30:
        lines.update(dmi_series(s.high, s.low, s.close, request.dmi_period))
    return lines


def _addplots(request: ChartRequest, shown: slice, labels: Any) -> list[dict[str, Any]]:
    """SMA overlays on the price panel and +DI/−DI/ADX on the third panel."""
    lines = chart_series(request)
    plots: list[dict[str, Any]] = []
    for period in SMA_PERIODS:
        sma = lines[f"sma{period}"][shown]
        if np.isfinite(sma).any():
            plots.append(mpf.make_addplot(sma, panel=0, color=SMA_COLOURS[period], width=1.4,
                                          secondary_y=False,
                                          label=str(labels.sma(period)).strip()))
    for name, colour in DMI_COLOURS.items():
        if name not in lines:
            continue
        shown_values = lines[name][shown]
        if np.isfinite(shown_values).any():
            plots.append(mpf.make_addplot(
                shown_values, panel=2, color=colour, width=1.3, secondary_y=False,
                ylabel=str(labels.dmi_axis()).strip(), label=str(labels.dmi(name)).strip()))
    return plots


def _visible_levels(levels: Sequence[ChartLevel], lo: float, hi: float) -> list[ChartLevel]:
    """Levels to draw, in priority order, far enough apart that labels never overlap.

    Levels inside the shown range qualify; the reversal level also within half a range
    above or below. ``levels`` come in priority order (next support and reversal first).
    """
    span = hi - lo
    gap = (span * 1.4) * LABEL_GAP_FRACTION
    keep: list[ChartLevel] = []
    for lv in levels:
        inside = lo <= lv.price <= hi
        near = lo - span * 0.5 <= lv.price <= hi + span * 0.5
        apart = all(abs(lv.price - k.price) >= gap for k in keep)
        if (inside or (lv.kind == "reversal" and near)) and apart:
            keep.append(lv)
    return keep


def draw_chart(request: ChartRequest) -> bytes:
    """Draw the PNG on the calling thread (use the renderer to stay on the chart thread)."""
    labels = _labels()
    frame = _frame(request.series)
    if frame.empty:
        raise ValueError(f"no candles to chart for {request.symbol} {request.timeframe}")
    start = max(0, len(frame) - DISPLAY_BARS)
    shown = slice(start, len(frame))
    view = frame.iloc[shown]
    lo, hi = float(view["Low"].min()), float(view["High"].max())
    levels = _visible_levels(request.levels, lo, hi)
    prices = [lo, hi, *(lv.price for lv in levels)]
    pad = (max(prices) - min(prices)) * Y_PADDING or max(prices) * 0.01
    title = str(labels.title(symbol=request.symbol, timeframe=request.timeframe,
                             as_of=request.as_of, source=request.source)).strip()
    style = mpf.make_mpf_style(base_mpf_style="yahoo", gridstyle=":", rc={"font.size": 15})
    kwargs: dict[str, Any] = {}
    if levels:
        kwargs["hlines"] = {
            "hlines": [lv.price for lv in levels],
            "colors": [LEVEL_COLOURS[lv.kind] for lv in levels],
            "linestyle": "--", "linewidths": 1.3,
        }
    fig, axes = mpf.plot(
        view, type="candle", style=style, volume=True, addplot=_addplots(request, shown, labels),
        panel_ratios=(5, 1.4, 1.8), figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI),
        ylim=(min(prices) - pad, max(prices) + pad + (max(prices) - min(prices)) * LEGEND_ROOM),
        returnfig=True,
        ylabel="", ylabel_lower="", datetime_format=DATE_FORMATS.get(request.timeframe, "%d %b"),
        xrotation=0,
        scale_padding={"left": 0.2, "right": 1.0, "top": 0.6, "bottom": 0.6},
        warn_too_much_data=10_000, **kwargs,
    )
    try:
        price_ax = axes[0]
        price_ax.set_title(title, fontsize=18, fontweight="bold", loc="left")
        price_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formatting.level(v)))
        axes[2].yaxis.set_major_formatter(FuncFormatter(lambda v, _: _compact(v)))
        left, _right = price_ax.get_xlim()
        price_ax.set_xlim(left, len(view) + LABEL_ROOM_BARS)
        for lv in levels:
            text = str(labels.level(price=lv.price, label=lv.label, kind=lv.kind)).strip()
            price_ax.annotate(
                text, xy=(len(view) + 0.5, lv.price), xycoords="data",
                va="center", ha="left",
                fontsize=11, color="white", fontweight="bold",
                bbox={"boxstyle": "round,pad=0.25", "fc": LEVEL_COLOURS[lv.kind], "ec": "none"},
            )
        price_ax.legend(loc="upper left", fontsize=12, framealpha=0.8, ncol=3)
        if len(axes) > 4:
            axes[4].legend(loc="upper left", fontsize=11, framealpha=0.8, ncol=3)
            axes[4].set_ylabel("")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()
    finally:
        plt.close(fig)


class ChartRenderer:
    """One worker thread for pyplot, with an LRU cache of finished PNGs."""

    def __init__(self, max_entries: int = 32) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")
        self._cache: OrderedDict[tuple[str, str, datetime, str, int], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries
        self.hits = 0
        self.misses = 0

    def _cached(self, request: ChartRequest) -> bytes | None:
        with self._lock:
            png = self._cache.get(request.key)
            if png is not None:
                self._cache.move_to_end(request.key)
                self.hits += 1
            return png

    def _draw_and_store(self, request: ChartRequest) -> bytes:
        png = self._cached(request)
        if png is not None:
            return png
        png = draw_chart(request)
        with self._lock:
            self.misses += 1
            self._cache[request.key] = png
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
        return png

    def render_sync(self, request: ChartRequest) -> bytes:
        """The PNG, drawn on the chart thread (blocks the caller)."""
        return self._cached(request) or self._executor.submit(
            self._draw_and_store, request).result()

    async def render(self, request: ChartRequest) -> bytes:
        """The PNG, drawn on the chart thread without blocking the event loop."""
        png = self._cached(request)
        if png is not None:
            return png
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._draw_and_store, request)

    def close(self) -> None:
        """Stop the worker thread."""
        self._executor.shutdown(wait=True)


def chart_levels(analysis: Analysis, limit: int = 2) -> tuple[ChartLevel, ...]:
    """Lines for the chart: next support, the reversal level and the nearest others."""
    lv = analysis.levels
    picked: list[ChartLevel] = []
    if lv.next_support is not None:
        picked.append(ChartLevel(lv.next_support.price, lv.next_support.label, "support"))
    if lv.reversal is not None:
        picked.append(ChartLevel(lv.reversal.price, lv.reversal.label, "reversal"))
    others = sorted((*lv.support[:limit], *lv.resistance[:limit]),
                    key=lambda level: abs(level.distance_pct))
    for level in others:
        if all(abs(level.price - p.price) > level.price * 0.002 for p in picked):
            picked.append(ChartLevel(level.price, level.label, level.kind))
    return tuple(picked)


def chart_request(snapshot: MarketSnapshot, analysis: Analysis, timeframe: str,
                  dmi_period: int = DEFAULT_DMI_PERIOD) -> ChartRequest:
    """The chart of ``timeframe`` for a snapshot and its analysis."""
    return ChartRequest(snapshot.symbol, timeframe, snapshot.as_of, snapshot.source,
                        snapshot.series(timeframe), chart_levels(analysis), dmi_period)


_renderer: ChartRenderer | None = None
_renderer_lock = threading.Lock()


def default_renderer() -> ChartRenderer:
    """The process-wide chart renderer (one chart thread)."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = ChartRenderer()
        return _renderer


async def render_chart(snapshot: MarketSnapshot, analysis: Analysis, timeframe: str,
                       dmi_period: int = DEFAULT_DMI_PERIOD) -> bytes:
    """PNG chart, drawn on the chart thread without blocking the event loop; cached."""
    request = chart_request(snapshot, analysis, timeframe, dmi_period)
    return await default_renderer().render(request)


def render_chart_sync(snapshot: MarketSnapshot, analysis: Analysis, timeframe: str,
                      dmi_period: int = DEFAULT_DMI_PERIOD) -> bytes:
    """PNG chart for synchronous callers (the CLI); drawn on the chart thread, cached."""
    return default_renderer().render_sync(chart_request(snapshot, analysis, timeframe,
                                                        dmi_period))
