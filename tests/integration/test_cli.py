"""End-to-end checks of ``python -m bot`` as a user runs it (subprocess, offline sources only)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

REAL_MOMENT = "2026-02-04T12:00:00Z"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOUR_MS = 3_600_000
FIRST_OPEN_MS = 1_738_540_800_000  # 2025-02-03T00:00:00Z


def run_bot(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` from the project root, as the README tells a user to."""
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN",)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *map(str, args)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """A failed run: non-zero exit, nothing on stdout, exactly one line on stderr, no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("error: ")
    for fragment in fragments:
        assert fragment in line
    assert result.stdout == ""
    return line


def write_hourly_csv(folder: Path, rows: list[str]) -> Path:
    """A Binance-style headerless 1h kline CSV for BTC in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "BTCUSDT_1h_x.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def hourly_rows(count: int) -> list[str]:
    """``count`` well-formed 6-column kline rows starting 2025-02-03T00:00Z."""
    return [
        f"{FIRST_OPEN_MS + i * HOUR_MS},{100 + i},{101 + i},{99 + i},{100.5 + i},10"
        for i in range(count)
    ]


# --- demo market -------------------------------------------------------------------------


def test_demo_digest_prints_a_marked_article_and_writes_the_chart(tmp_path: Path) -> None:
    chart = tmp_path / "btc.png"
    result = run_bot("digest", "BTC", "--demo", "--chart", chart)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "DEMO DATA" in text
    assert "Bitcoin" in text
    assert "$" in text
    assert re.search(r"\b(None|nan|NaN|n/a)\b", text) is None
    assert chart.read_bytes()[:8] == PNG_SIGNATURE
    assert chart.stat().st_size > 10_000


def test_demo_digest_html_prints_telegram_messages_separated_by_rules() -> None:
    result = run_bot("digest", "ETH", "--demo", "--format", "html")
    assert result.returncode == 0, result.stderr
    messages = result.stdout.rstrip("\n").split("\n-----\n")
    assert len(messages) >= 2
    assert all(m.strip() for m in messages)
    assert "<b>" in messages[0]
    assert "DEMO DATA" in result.stdout
    assert "##" not in result.stdout  # plain-text headings are rendered as HTML instead


def test_ask_why_bearish_on_demo_answers_with_the_bias_intent() -> None:
    result = run_bot("ask", "why bearish?", "BTC", "--demo", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) >= {"intent", "topic", "symbol", "answer"}
    assert doc["intent"] == "bias"
    assert doc["symbol"] == "BTC"
    assert "Bitcoin" in doc["answer"]
    assert "DEMO DATA" in doc["answer"]


# --- real data replay --------------------------------------------------------------------


def test_replay_digest_prints_the_real_price_and_24h_range(shared_data: Path) -> None:
    result = run_bot("digest", "BTC", "--replay", "../shared/data", "--at", REAL_MOMENT)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "$76,017" in text
    assert "$72,946" in text
    assert "$78,459" in text
    assert "DEMO DATA" not in text


def test_replay_digest_json_has_every_documented_key_and_the_real_numbers(
    shared_data: Path,
) -> None:
    result = run_bot(
        "digest", "BTC", "--replay", "../shared/data", "--at", REAL_MOMENT, "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) >= {
        "symbol", "as_of", "source", "price", "indicators", "levels", "derivatives",
        "whales", "bias", "headline", "text",
    }
    assert doc["symbol"] == "BTC"
    assert doc["as_of"] == REAL_MOMENT
    assert doc["source"] == "replay"
    price = doc["price"]
    assert set(price) >= {"last", "change_24h_pct", "low_24h", "high_24h"}
    assert price["last"] == 76017.25
    assert price["low_24h"] == 72945.5
    assert price["high_24h"] == 78458.89
    # 24h change against the close of the bar that opened 2026-02-03T11:00Z (78,079.50)
    assert price["change_24h_pct"] == pytest.approx(-2.64, abs=0.005)
    assert set(doc["indicators"]) == {"1h", "4h", "1d"}
    assert set(doc["levels"]) >= {"support", "resistance", "next_support", "reversal"}
    assert set(doc["bias"]) >= {"label", "score", "confidence", "reasons"}
    assert "bearish" in doc["bias"]["label"]
    assert doc["headline"] and doc["text"].startswith(doc["headline"])
    assert "$76,017" in doc["text"]


# --- bad input: one clear line, non-zero exit, never a traceback -------------------------


def test_bad_config_value_exits_with_one_line_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bundled = (PROJECT_ROOT / "config.toml").read_text(encoding="utf-8")
    bad.write_text(bundled.replace("timeout_seconds = 8.0", "timeout_seconds = 0"), "utf-8")
    result = run_bot("--config", bad, "digest", "BTC", "--demo")
    assert_one_line_error(
        result, str(bad), "venues.timeout_seconds: Input should be greater than 0"
    )


def test_bad_toml_syntax_exits_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[venues\nspot = 'binance'\n", "utf-8")
    result = run_bot("--config", bad, "digest", "BTC", "--demo")
    assert_one_line_error(result, str(bad), "is not valid TOML")


def test_unknown_symbol_exits_with_one_line_and_a_suggestion() -> None:
    result = run_bot("digest", "XYZ", "--demo")
    assert_one_line_error(result, "unknown symbol 'XYZ'")
    result = run_bot("digest", "bitcon", "--demo")
    assert_one_line_error(result, "did you mean BTC?")


def test_missing_replay_folder_exits_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = run_bot("digest", "BTC", "--replay", missing)
    assert_one_line_error(result, "replay folder not found", str(missing))


def test_malformed_csv_row_names_the_file_line_and_column(tmp_path: Path) -> None:
    rows = hourly_rows(3)
    rows[1] = rows[1].replace(",101,", ",x,", 1)
    csv = write_hourly_csv(tmp_path / "replay", rows)
    result = run_bot("digest", "BTC", "--replay", tmp_path / "replay")
    assert_one_line_error(result, str(csv), "line 2", "'x'")


def test_at_outside_the_replay_range_gives_the_range(tmp_path: Path) -> None:
    write_hourly_csv(tmp_path / "replay", hourly_rows(48))
    result = run_bot("digest", "BTC", "--replay", tmp_path / "replay", "--at", "2030-01-01T00:00Z")
    assert_one_line_error(result, "outside the replay data for BTC", "2025-02-03")


def test_at_that_is_not_a_time_is_rejected_with_an_example() -> None:
    result = run_bot("digest", "BTC", "--demo", "--at", "notatime")
    assert_one_line_error(result, "'notatime'", "2026-02-04T12:00:00Z")


def test_unknown_subcommand_is_an_argparse_usage_error() -> None:
    result = run_bot("dance")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice: 'dance'" in result.stderr


def test_at_without_demo_or_replay_is_rejected_before_going_online() -> None:
    result = run_bot("digest", "BTC", "--at", REAL_MOMENT)
    assert_one_line_error(result, "--at needs --demo or --replay DIR")


def test_chart_into_a_missing_folder_fails_before_printing_anything(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "btc.png"
    result = run_bot("digest", "BTC", "--demo", "--chart", target)
    assert_one_line_error(result, "--chart", "does not exist")
    assert not target.exists()
