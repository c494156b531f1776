"""Kline and funding CSV parsing: every shape, every time unit, merging, bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ReplayDataError
from bot.market.replay_candles import settle_unsure
from bot.market.replay_files import (
    classify_name,
    funding_venue,
    merge_klines,
    read_funding_csv,
    read_kline_csv,
)
from tests.fakes.replay_data import (
    HOUR_MS,
    START_MS,
    Bar,
    aggregate,
    hourly_bars,
    write_klines,
)

SHAPES = ["binance12", "header12", "header6", "plain6"]
UNITS = ["s", "ms", "us", "iso"]


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_and_time_unit_reads_the_same_bars(tmp_path: Path, shape, unit) -> None:
    bars = hourly_bars(5)
    path = write_klines(tmp_path / "BTCUSDT_1h_x.csv", bars, shape, unit)

    frame = read_kline_csv(path, "1h")

    assert frame["open_time"].tolist() == [b.open_time for b in bars]
    assert frame["close"].tolist() == [b.close for b in bars]
    assert frame["high"].tolist() == [b.high for b in bars]
    assert frame["volume"].tolist() == [b.volume for b in bars]


def test_quote_volume_is_read_from_12_column_files_only(tmp_path: Path) -> None:
    bars = hourly_bars(3)
    twelve = read_kline_csv(write_klines(tmp_path / "a.csv", bars, "binance12"), "1h")
    six = read_kline_csv(write_klines(tmp_path / "b.csv", bars, "plain6"), "1h")

    assert twelve["quote_volume"].tolist() == [b.quote_volume for b in bars]
    assert six["quote_volume"].isna().all()


def test_the_last_row_of_a_file_without_close_times_is_unsure_until_another_file_has_it(
    tmp_path: Path,
) -> None:
    bars = hourly_bars(6)
    short = read_kline_csv(write_klines(tmp_path / "a.csv", bars[:4], "plain6"), "1h")

    alone = merge_klines("1h", [short])
    assert alone.unsure is not None
    assert alone.unsure.tolist() == [False, False, False, True]
    assert settle_unsure({"1h": alone})["1h"].open_time.tolist() == [
        b.open_time for b in bars[:3]
    ]

    longer = read_kline_csv(write_klines(tmp_path / "b.csv", bars[2:], "plain6"), "1h")
    merged = merge_klines("1h", [short, longer])
    assert merged.unsure is not None
    assert merged.unsure.tolist() == [False] * 5 + [True]


def test_an_unsure_daily_row_is_rebuilt_from_the_hours_that_cover_it(tmp_path: Path) -> None:
    bars = hourly_bars(24 * 3)
    days = aggregate(bars, 24)
    partial = Bar(days[2].open_time, days[2].open, days[2].open, days[2].open, days[2].open, 1.0)
    daily = read_kline_csv(write_klines(tmp_path / "d.csv", [*days[:2], partial], "header6"), "1d")
    hourly = read_kline_csv(write_klines(tmp_path / "h.csv", bars), "1h")

    settled = settle_unsure({"1h": merge_klines("1h", [hourly]), "1d": merge_klines("1d", [daily])})

    assert settled["1d"].close.tolist() == [d.close for d in days]
    assert settled["1d"].high[2] == days[2].high
    assert settled["1d"].volume[2] == pytest.approx(days[2].volume)


def test_a_complete_row_replaces_the_partial_last_row_of_another_file(tmp_path: Path) -> None:
    bars = hourly_bars(4)
    partial = Bar(bars[3].open_time, bars[3].open, bars[3].open + 0.1, bars[3].open - 0.1,
                  bars[3].open, 0.5)
    old = read_kline_csv(write_klines(tmp_path / "old.csv", [*bars[:3], partial], "header6"), "1h")
    new = read_kline_csv(write_klines(tmp_path / "new.csv", bars[2:], "binance12"), "1h")

    for frames in ([old, new], [new, old]):
        merged = merge_klines("1h", frames)
        assert merged.close.tolist() == [b.close for b in bars[:4]]
        assert merged.volume[3] == bars[3].volume


def test_a_row_whose_close_time_is_early_is_partial_and_dropped(tmp_path: Path) -> None:
    bars = hourly_bars(3)
    lines = [
        f"{b.open_time},{b.open},{b.high},{b.low},{b.close},{b.volume},"
        f"{b.open_time + (HOUR_MS - 1 if i < 2 else 60_000)},1,1,1,1,0"
        for i, b in enumerate(bars)
    ]
    path = tmp_path / "BTCUSDT-1h-2026-01.csv"
    path.write_text("\n".join(lines) + "\n")

    merged = merge_klines("1h", [read_kline_csv(path, "1h")])

    assert merged.open_time.tolist() == [bars[0].open_time, bars[1].open_time]


def test_a_malformed_row_names_file_and_line(tmp_path: Path) -> None:
    path = write_klines(tmp_path / "BTCUSDT_1h_x.csv", hourly_bars(4), "header6", "ms")
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[2], "abc")
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(ReplayDataError, match=r"BTCUSDT_1h_x\.csv.*line 4"):
        read_kline_csv(path, "1h")


def test_a_bad_time_names_file_and_line(tmp_path: Path) -> None:
    path = write_klines(tmp_path / "k.csv", hourly_bars(3), "plain6", "iso")
    lines = path.read_text().splitlines()
    lines[1] = "not-a-date" + lines[1][19:]
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(ReplayDataError, match=r"k\.csv.*line 2.*not-a-date"):
        read_kline_csv(path, "1h")


def test_a_row_with_extra_fields_is_reported(tmp_path: Path) -> None:
    path = write_klines(tmp_path / "k.csv", hourly_bars(3), "plain6", "ms")
    path.write_text(path.read_text() + f"{START_MS},1,2,3,4,5,6,7\n")

    with pytest.raises(ReplayDataError, match=r"k\.csv.*malformed CSV"):
        read_kline_csv(path, "1h")


def test_a_file_with_an_unknown_column_count_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(f"{START_MS},1,2,3\n")

    with pytest.raises(ReplayDataError, match="expected 6 or 12 kline columns"):
        read_kline_csv(path, "1h")


@pytest.mark.parametrize(
    ("name", "market", "timeframe"),
    [
        ("BTCUSDT_1d_binance-spot_2024-07-27_2026-07-26.csv", "BTCUSDT", "1d"),
        ("BTCUSDT-1h-2026-02.csv", "BTCUSDT", "1h"),
        ("ETHUSDT_4h_anything.csv", "ETHUSDT", "4h"),
        ("binance_BTCUSDT_funding_2026-01-01_2026-03-01.csv", "BTCUSDT", None),
        ("notes.csv", None, None),
    ],
)
def test_file_names_give_market_and_timeframe(name, market, timeframe) -> None:
    assert classify_name(Path(name)) == (market, timeframe)


def test_funding_csv_gives_rates_in_time_order_and_an_8h_interval(tmp_path: Path) -> None:
    path = tmp_path / "binance_BTCUSDT_funding.csv"
    eight = 8 * HOUR_MS
    path.write_text(
        "fundingTime,fundingRate,markPrice\n"
        f"{START_MS + eight + 3},0.0002,101.5\n{START_MS + 5},0.0001,100.0\n"
        f"{START_MS + 2 * eight},-0.00005,99.0\n"
    )

    table = read_funding_csv(path, funding_venue(path), "BTCUSDT")

    assert table.venue == "binanceusdm"
    assert table.rate.tolist() == [0.0001, 0.0002, -0.00005]
    assert table.mark_price.tolist() == [100.0, 101.5, 99.0]
    assert table.interval_hours == pytest.approx(8.0, abs=1e-3)
