"""`python -m bot digest` on the live source, pointed at the fake exchange by config.

The issue's check: derivatives and whale fields equal the fake's own numbers in USD, the
article shows them, and a venue that fails degrades the post instead of breaking it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.commentary.formatting import usd_compact
from tests.fakes.fake_exchange import FakeExchange, loopback_guard, running_fake_exchange
from tests.fakes.fake_market import TRACKED_WHALE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENUES = ("binanceusdm", "okx", "bybit", "hyperliquid")


@pytest_asyncio.fixture
async def fake_exchange() -> AsyncIterator[FakeExchange]:
    with loopback_guard() as violations:
        async with running_fake_exchange() as fx:
            yield fx
    assert violations == []


async def run_bot(*args: str) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=90)
    return proc.returncode or 0, out.decode(), err.decode()


def fast_config(fx: FakeExchange, tmp_path: Path) -> Path:
    path = fx.write_config(tmp_path / "config.toml")
    text = path.read_text().replace("retries = 2", "retries = 0")
    path.write_text(text.replace("timeout_seconds = 8.0", "timeout_seconds = 5.0"))
    return path


async def test_json_digest_has_the_fakes_usd_numbers_and_the_article_shows_them(
    fake_exchange: FakeExchange, tmp_path: Path
) -> None:
    config = fast_config(fake_exchange, tmp_path)
    rc, out, err = await run_bot("--config", str(config), "digest", "BTC", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    market = fake_exchange.market
    assert doc["source"] == "live"
    rows = {row["venue"]: row for row in doc["derivatives"]["venues"]}
    assert set(rows) == set(VENUES)
    for venue in VENUES:
        assert rows[venue]["open_interest_usd"] == pytest.approx(
            market.expected_oi_usd("BTC", venue))
        assert rows[venue]["volume_24h_usd"] == pytest.approx(
            market.expected_volume_24h_usd("BTC", venue))
        assert rows[venue]["funding_rate_8h"] == pytest.approx(
            market.expected_funding_8h("BTC", venue))
    total_oi = sum(market.expected_oi_usd("BTC", v) for v in VENUES)
    assert doc["derivatives"]["open_interest_usd"] == pytest.approx(total_oi)
    total_volume = sum(market.expected_volume_24h_usd("BTC", v) for v in VENUES)
    assert doc["derivatives"]["volume_24h_usd"] == pytest.approx(total_volume)
    whale = doc["whales"]["largest"][0]
    assert whale["address"] == TRACKED_WHALE and whale["side"] == "short"
    assert whale["notional_usd"] == pytest.approx(150.0 * market.coins["BTC"].price)
    assert whale["leverage"] == 20 and whale["liquidation_price"] == pytest.approx(88_400.0)
    # the article quotes the same totals
    assert usd_compact(total_oi) in doc["text"]
    assert usd_compact(total_volume) in doc["text"]
    assert usd_compact(150.0 * market.coins["BTC"].price) in doc["text"]


async def test_a_failing_venue_is_named_and_the_others_still_report(
    fake_exchange: FakeExchange, tmp_path: Path
) -> None:
    config = fast_config(fake_exchange, tmp_path)
    fake_exchange.fault("okx", "5xx")
    rc, out, err = await run_bot("--config", str(config), "digest", "BTC", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    covered = {row["venue"] for row in doc["derivatives"]["venues"]
               if row["open_interest_usd"] is not None}
    assert covered == {"binanceusdm", "bybit", "hyperliquid"}
    assert any(m["venue"] == "okx" for m in doc["derivatives"]["missing"])
    assert "OKX" in doc["text"] and "None" not in doc["text"]


async def test_no_price_anywhere_gives_one_clear_line_not_a_traceback(
    fake_exchange: FakeExchange, tmp_path: Path
) -> None:
    config = fast_config(fake_exchange, tmp_path)
    for venue in ("binance", *VENUES):
        fake_exchange.fault(venue, "5xx")
    rc, out, err = await run_bot("--config", str(config), "digest", "BTC")
    assert rc != 0 and out == ""
    assert "Traceback" not in err
    [line] = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert "binance" in line and "no price" in line


async def test_digest_of_a_coin_only_the_venues_list_and_of_one_they_do_not(
    fake_exchange: FakeExchange, tmp_path: Path
) -> None:
    config = fast_config(fake_exchange, tmp_path)
    rc, out, err = await run_bot("--config", str(config), "digest", "doge", "--format", "json")
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["symbol"] == "DOGE"
    assert doc["price"]["last"] == pytest.approx(fake_exchange.market.coins["DOGE"].price)
    rc, out, err = await run_bot("--config", str(config), "digest", "PEPE")
    assert rc != 0 and "unknown symbol 'PEPE'" in err and len(err.strip().splitlines()) == 1
