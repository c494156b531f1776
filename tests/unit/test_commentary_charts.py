"""Charts: a valid PNG of the phone-friendly size, drawn on the chart thread, cached."""

from __future__ import annotations

import asyncio
import io
import itertools
import threading
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image

from bot.commentary.charts import (
    HEIGHT_PX,
    WIDTH_PX,
    ChartLevel,
    ChartRenderer,
    ChartRequest,
    _visible_levels,
    chart_levels,
    chart_request,
    chart_series,
)
from bot.config import Settings
from tests.unit.commentary_cases import (
    REFERENCE_MOMENT,
    demo_analysis,
    demo_snapshot,
    replay_analysis,
    replay_snapshot,
)


@pytest.fixture
def renderer() -> Iterator[ChartRenderer]:
    """A private renderer (its own thread and cache)."""
    r = ChartRenderer()
    yield r
    r.close()


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.verify()
    return Image.open(io.BytesIO(png))


def test_reference_chart_is_a_png_of_the_expected_size_and_is_cached(
    shared_data: object, renderer: ChartRenderer
) -> None:
    request = chart_request(replay_snapshot("BTC", REFERENCE_MOMENT),
                            replay_analysis("BTC", REFERENCE_MOMENT), "4h")
    png = renderer.render_sync(request)
    image = _image(png)
    assert image.format == "PNG"
    assert image.size == (WIDTH_PX, HEIGHT_PX)
    assert (renderer.hits, renderer.misses) == (0, 1)
    assert renderer.render_sync(request) == png
    assert (renderer.hits, renderer.misses) == (1, 1)


def test_async_render_runs_on_the_chart_thread(renderer: ChartRenderer) -> None:
    request = chart_request(demo_snapshot("breakout"), demo_analysis("breakout"), "1h")
    seen: list[str] = []
    original = renderer._draw_and_store

    def spy(req: ChartRequest) -> bytes:
        seen.append(threading.current_thread().name)
        return original(req)

    renderer._draw_and_store = spy  # type: ignore[method-assign,assignment]
    png = asyncio.run(renderer.render(request))
    assert _image(png).size == (WIDTH_PX, HEIGHT_PX)
    assert seen and seen[0].startswith("chart")
    assert asyncio.run(renderer.render(request)) == png
    assert renderer.hits == 1


def test_every_timeframe_of_every_demo_episode_draws(renderer: ChartRenderer) -> None:
    for episode in ("crash_rebound", "squeeze"):
        for tf in ("1h", "4h", "1d"):
            request = chart_request(demo_snapshot(episode), demo_analysis(episode), tf)
            assert _image(renderer.render_sync(request)).size == (WIDTH_PX, HEIGHT_PX)


def test_chart_lines_start_with_next_support_and_reversal(shared_data: object) -> None:
    analysis = replay_analysis("BTC", REFERENCE_MOMENT)
    levels = chart_levels(analysis)
    assert analysis.levels.next_support is not None and analysis.levels.reversal is not None
    assert levels[0] == ChartLevel(analysis.levels.next_support.price,
                                   analysis.levels.next_support.label, "support")
    assert levels[1].kind == "reversal"
    assert levels[1].price == analysis.levels.reversal.price


def test_crowded_levels_are_thinned_so_labels_never_overlap() -> None:
    crowded = [ChartLevel(100.0 + i * 0.2, "x", "support") for i in range(10)]
    kept = _visible_levels(crowded, 90.0, 110.0)
    gaps = [b.price - a.price for a, b in itertools.pairwise(kept)]
    assert kept[0].price == 100.0
    assert all(gap >= 0.9 for gap in gaps)
    far = ChartLevel(500.0, "far", "resistance")
    assert far not in _visible_levels([far], 90.0, 110.0)


def test_the_charts_dmi_follows_the_configured_period(settings: Settings) -> None:
    snapshot, analysis = demo_snapshot("breakout"), demo_analysis("breakout")
    configured = settings.model_copy(
        update={"indicators": settings.indicators.model_copy(update={"dmi": 7})})
    default = chart_series(chart_request(snapshot, analysis, "4h"))
    seven = chart_series(chart_request(snapshot, analysis, "4h", configured.indicators.dmi))
    np.testing.assert_array_equal(default["sma50"], seven["sma50"])
    for name in ("plus_di", "minus_di", "adx"):
        # ADX of 7 is warm after 2×7−1 bars, ADX of 14 only after 27
        assert np.isfinite(seven[name][13]) and not np.isfinite(default[name][13])
        assert not np.allclose(default[name][-20:], seven[name][-20:])
