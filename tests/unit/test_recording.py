"""The JSON-lines snapshot recording: write, read back, reject malformed lines."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.errors import MissingReason, ReplayDataError
from bot.market.recording import read_snapshots, write_snapshot
from tests.fakes.samples import AS_OF, full_snapshot


def test_a_snapshot_reads_back_equal_without_its_candles(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    snapshot = full_snapshot()
    with path.open("w") as fp:
        write_snapshot(fp, snapshot)

    (back,) = read_snapshots(path)

    assert back == replace(snapshot, candles={})
    assert back.as_of.tzinfo is not None
    assert back.whales is not None and back.whales.previous is not None
    assert back.whales.previous.traders[0].account_value == 1e6


def test_candles_round_trip_when_included(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    snapshot = full_snapshot()
    with path.open("w") as fp:
        write_snapshot(fp, snapshot, include_candles=True)

    (back,) = read_snapshots(path)

    hourly = back.candles["1h"]
    assert hourly.forming
    assert hourly.open_time.tolist() == [1, 2]
    assert hourly.close.tolist() == [1.5, 2.5]
    assert hourly.volume.tolist() == [10.0, 11.0]


def test_each_line_is_one_tagged_json_snapshot_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    times = [AS_OF + timedelta(minutes=i) for i in range(3)]
    with path.open("w") as fp:
        for when in times:
            write_snapshot(fp, full_snapshot(when))

    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    assert len(lines) == 3
    assert (first["format"], first["version"], first["as_of"]) == (
        "market-commentator/snapshot", 1, "2026-02-04T12:00:30.250000Z",
    )
    assert "candles" not in first
    assert [s.as_of for s in read_snapshots(path)] == times


def test_a_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    with path.open("w") as fp:
        write_snapshot(fp, full_snapshot())
        fp.write("{not json\n")

    with pytest.raises(ReplayDataError, match=r"rec\.jsonl: malformed recording at line 2"):
        read_snapshots(path)


def test_a_line_of_another_format_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "rec.jsonl"
    path.write_text('{"symbol": "BTC"}\n')

    with pytest.raises(ReplayDataError, match=r"line 1.*market-commentator/snapshot"):
        read_snapshots(path)


def test_missing_reasons_read_back_as_codes(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    with path.open("w") as fp:
        write_snapshot(fp, full_snapshot(AS_OF))
    (back,) = read_snapshots(path)
    assert [type(m.reason) for m in back.missing] == [MissingReason, MissingReason]
    assert back.missing[0].reason is MissingReason.TIMEOUT
