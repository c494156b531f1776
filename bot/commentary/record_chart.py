"""The track record's picture: calibration (left) and hit rate over time (right), one PNG.

``record_chart`` computes the figures with :func:`bot.evidence.picture.record_figures` and
draws them; matplotlib is imported inside :func:`draw_record_chart` only (the answer path
never loads it) and drawn through a bare ``Figure`` (no pyplot state, any thread).
Wording on the picture comes from ``templates/chart/record_labels.j2``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from typing import Any

from bot.commentary.render import environment
from bot.evidence.model import Row
from bot.evidence.picture import MIN_PER_BIN, RecordFigures, record_figures

WIDTH_IN, HEIGHT_IN, DPI = 13.0, 5.6, 100
COLOURS = {"stated": "#1f77b4", "momentum": "#ff7f0e", "always_up": "#c7c7c7"}
#: Percentage points either side of the calibration bins and their intervals.
PADDING = 3.0
#: Points of stated probability between bins to label each one beside its point.
MIN_LABEL_GAP = 3.0


@dataclass(frozen=True, slots=True)
class RecordChart:
    """The picture's numbers and its PNG (both None: too few graded calls)."""

    figures: RecordFigures | None
    png: bytes | None


def _labels() -> Any:
    return environment("text").get_template("chart/record_labels.j2").make_module()


def _pct(values: Sequence[float | None]) -> list[float]:
    return [float("nan") if v is None else v * 100 for v in values]


def _bin_counts(axes: Any, figures: RecordFigures, labels: Any) -> None:
    """Each bin's n beside its point, or (points too close to label) in a table."""
    xs = [b.stated * 100 for b in figures.bins]
    if all(b - a >= MIN_LABEL_GAP for a, b in pairwise(xs)):
        for b, x in zip(figures.bins, xs, strict=True):
            axes.annotate(str(labels.bin_calls(b.calls)), (x, b.observed * 100),
                          textcoords="offset points", xytext=(8, -3), fontsize=8)
        return
    rows = [str(labels.bin_row(b.stated * 100, b.observed * 100, b.calls))
            for b in figures.bins]
    axes.text(0.98, 0.02, "\n".join([str(labels.bin_header()), *rows]),
              transform=axes.transAxes, ha="right", va="bottom", fontsize=7,
              family="monospace", bbox={"facecolor": "white", "alpha": 0.85,
                                        "edgecolor": "#cccccc"})


def draw_record_chart(figures: RecordFigures) -> bytes:
    """PNG bytes of the two panels of ``figures``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure

    labels = _labels()
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(fig)
    calib, hits = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1, 1.4)})
    fig.suptitle(str(labels.title(figures.symbol, figures.horizon, figures.start,
                                  figures.end, figures.calls)), fontsize=13)

    calib.plot([0, 100], [0, 100], linestyle="--", color="#999999",
               label=str(labels.diagonal()))
    xs = [b.stated * 100 for b in figures.bins]
    ys = [b.observed * 100 for b in figures.bins]
    errors = [[(b.observed - b.interval[0]) * 100 for b in figures.bins],
              [(b.interval[1] - b.observed) * 100 for b in figures.bins]]
    calib.errorbar(xs, ys, yerr=errors, fmt="o", color=COLOURS["stated"], capsize=3)
    _bin_counts(calib, figures, labels)
    ends = [*xs, *(b.interval[0] * 100 for b in figures.bins),
            *(b.interval[1] * 100 for b in figures.bins)]
    low, high = max(0.0, min(ends) - PADDING), min(100.0, max(ends) + PADDING)
    calib.set_xlim(low, high)
    calib.set_ylim(low, high)
    calib.set_aspect("equal")
    calib.set_title(str(labels.calibration_title()), fontsize=10)
    calib.set_xlabel(str(labels.stated_axis()))
    calib.set_ylabel(str(labels.observed_axis()))
    calib.legend(loc="upper left", fontsize=8)
    calib.grid(alpha=0.3)

    shown = figures.timeline[MIN_PER_BIN - 1:]  # a rate of one or two calls says nothing
    times = [p.as_of for p in shown]
    for name, values in (("always_up", [p.always_up for p in shown]),
                         ("momentum", [p.momentum for p in shown]),
                         ("stated", [p.stated for p in shown])):
        hits.plot(times, _pct(values), color=COLOURS[name], label=str(getattr(labels, name)()),
                  linewidth={"stated": 2.0, "momentum": 1.2, "always_up": 3.5}[name],
                  linestyle="--" if name == "momentum" else "-")
    hits.axhline(50, color="#cccccc", linewidth=0.8)
    hits.set_ylim(0, 100)
    hits.set_title(str(labels.timeline_title()), fontsize=10)
    hits.set_ylabel(str(labels.hit_axis()))
    hits.legend(loc="lower right", fontsize=8)
    hits.xaxis.set_major_formatter(DateFormatter("%d %b %y"))
    hits.grid(alpha=0.3)
    hits.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def record_chart(rows: Sequence[Row], symbol: str | None,
                 horizon: timedelta | None = None) -> RecordChart:
    """The picture of ``rows`` for ``horizon`` (default: the busiest), with its numbers."""
    figures = record_figures(rows, symbol, horizon)
    return RecordChart(figures, None if figures is None else draw_record_chart(figures))
