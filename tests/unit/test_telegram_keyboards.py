"""Callback data: short, parseable after a restart, and never over Telegram's 64 bytes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.keyboards import (
    VIEWS,
    ButtonAction,
    chart_data,
    parse_callback,
    post_keyboard,
    refresh_data,
)


@given(post_id=st.integers(min_value=1, max_value=10**12 - 1), view=st.sampled_from(VIEWS))
def test_refresh_data_round_trips_and_fits_64_bytes(post_id: int, view: str) -> None:
    data = refresh_data(post_id, view)  # type: ignore[arg-type]
    assert len(data.encode()) <= 64
    assert parse_callback(data) == ButtonAction("refresh", post_id, view=view)  # type: ignore[arg-type]


@given(post_id=st.integers(min_value=1, max_value=10**12 - 1),
       timeframe=st.sampled_from(["1h", "4h", "1d"]))
def test_chart_data_round_trips(post_id: int, timeframe: str) -> None:
    assert parse_callback(chart_data(post_id, timeframe)) == ButtonAction(
        "chart", post_id, timeframe=timeframe)


@given(st.text(max_size=80))
def test_arbitrary_data_never_raises(data: str) -> None:
    action = parse_callback(data)
    assert action is None or action.post_id >= 0


def test_unknown_view_and_timeframe_are_rejected() -> None:
    assert parse_callback("r:5:z") is None
    assert parse_callback("c:5:5m") is None
    assert parse_callback(None) is None


def test_post_keyboard_has_refresh_then_chart() -> None:
    markup = post_keyboard(42, "digest", "html")
    [[refresh, chart]] = markup.inline_keyboard
    assert (refresh.text, refresh.callback_data) == ("🔄 Refresh", "r:42:d")
    assert (chart.text, chart.callback_data) == ("📈 Chart 4h", "c:42:4h")
