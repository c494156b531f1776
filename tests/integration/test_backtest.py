"""``python -m bot backtest`` on the real data: the record beside baselines, no look-ahead,
and every row states what ``digest --at`` states at that time."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.evidence.backtest import run_backtest
from bot.evidence.export import row_dict
from bot.evidence.picture import record_figures
from bot.market.replay import ReplaySource
from tests.integration.test_cli import assert_one_line_error, run_bot

FEB_1 = datetime(2026, 2, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def test_rows_of_early_february_do_not_change_when_the_run_goes_on_to_march(
    shared_data: Path, settings: Settings
) -> None:
    source = ReplaySource(shared_data, None, settings)

    short = run_backtest(source, settings, "BTC", FEB_1, FEB_1 + 5 * DAY, DAY)
    long = run_backtest(source, settings, "BTC", FEB_1, FEB_1 + 30 * DAY, DAY)

    early = [row_dict(r) for r in long.rows if r.call.as_of <= FEB_1 + 5 * DAY]
    assert [row_dict(r) for r in short.rows] == early
    assert len(early) == 12  # 6 posts × (24h, 7d)


def test_a_backtest_row_states_the_odds_the_digest_states_at_that_time(
    shared_data: Path,
) -> None:
    at = "2026-03-10T12:00:00Z"
    digest = run_bot("digest", "BTC", "--replay", shared_data, "--at", at, "--format", "json")
    bt = run_bot("backtest", "BTC", "--replay", shared_data, "--from", at, "--to", at,
                 "--format", "csv")
    assert digest.returncode == 0, digest.stderr
    assert bt.returncode == 0, bt.stderr

    odds = json.loads(digest.stdout)["odds"]
    rows = {r["horizon"]: r for r in csv.DictReader(io.StringIO(bt.stdout))}
    assert set(rows) == {"24h", "7d"}
    for horizon in odds["horizons"]:
        row = rows[horizon["horizon"]]
        assert float(row["probability_up"]) == horizon["probability"]
        assert int(row["samples"]) == horizon["samples"]
        assert row["setup"] == odds["setup"]
    assert float(rows["24h"]["price"]) == json.loads(digest.stdout)["price"]["last"]


def test_the_text_report_sets_the_record_beside_the_baselines(shared_data: Path) -> None:
    result = run_bot("backtest", "ETH", "--replay", shared_data, "--from", "2026-04-01",
                     "--to", "2026-04-20")

    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "20 posts" in text
    for line in ("stated odds (the post's call)", "baseline: momentum (prior 7d)",
                 "baseline: always up", "baseline: always down", "Brier score",
                 "reliability:", "invalidation of a bearish view"):
        assert line in text
    assert "## Horizon 24h — 20 calls graded" in text


def test_a_bad_horizon_or_a_period_outside_the_data_is_one_clear_line(
    shared_data: Path,
) -> None:
    bad = run_bot("backtest", "BTC", "--replay", shared_data, "--from", "2026-02-01",
                  "--to", "2026-02-05", "--horizons", "24h,soon")
    assert_one_line_error(bad, "--horizons", "'soon'")

    early = run_bot("backtest", "ETH", "--replay", shared_data, "--from", "2019-01-01",
                    "--to", "2019-02-01")
    assert_one_line_error(early, "within the replay data for ETH")


def test_backtest_chart_writes_the_record_picture_and_says_where(
    shared_data: Path, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "btc.png"
    result = run_bot("backtest", "BTC", "--replay", shared_data, "--from", "2026-02-01",
                     "--to", "2026-03-15", "--format", "json", "--chart", path)

    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["rows"]) == 86  # stdout stays the report alone
    assert ("Picture of 43 graded 24h calls (8 calibration bins) written to " + str(path)
            in result.stderr)
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    source = ReplaySource(shared_data, None, settings)
    bt = run_backtest(source, settings, "BTC", FEB_1.replace(hour=0),
                      datetime(2026, 3, 15, tzinfo=UTC), DAY)
    figures = record_figures(bt.rows, "BTC")
    assert figures is not None and figures.calls == 43
    assert sum(b.calls for b in figures.bins) == 43
    assert figures.timeline[-1].always_up == pytest.approx(
        sum(1 for r in bt.rows if r.call.horizon == DAY and r.outcome and r.outcome.up) / 43)


def test_backtest_chart_of_a_few_days_writes_no_picture_and_says_why(
    shared_data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "few.png"
    result = run_bot("backtest", "BTC", "--replay", shared_data, "--from", "2026-02-01",
                     "--to", "2026-02-06", "--chart", path)

    assert result.returncode == 0, result.stderr
    assert ("No picture written to " + str(path) + ": only 6 calls of one horizon graded "
            "with stated odds; a picture needs 10.") in result.stderr
    assert not path.exists()
