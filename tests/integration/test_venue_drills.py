"""Fault drills: every fault kind at every venue, cold, with the shipped retries.

Each drill starts a fresh fake exchange with the fault in place and a fresh bot
(market lists read from disk, as after any restart; the done-when scenarios start
cold, with no list on disk), builds a snapshot with ``timeout_seconds = 2``, then
renders the article and the ``/btc`` quick post. The reply must come within the clean run's
time + timeout + 1 s, and say what is missing. ccxt's client-side throttle (110 ms
between OKX requests) is off here so a clean cold snapshot fits well inside it; the
end-to-end figures with the throttle on are ``bench/bench_faults.py``'s.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.analysis import analyse
from bot.commentary import render_article
from bot.commentary.posts import render_quick
from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from bot.market.venues import VenueClient
from bot.telegram.recording import Call
from tests.fakes.fake_exchange import FakeExchange, loopback_guard, running_fake_exchange
from tests.fakes.fake_exchange_drills import DERIVATIVES, VENUES, apply
from tests.fakes.telegram_harness import harness

TIMEOUT = 2.0
NAMES = {"binance": "Binance", "binanceusdm": "Binance", "okx": "OKX", "bybit": "Bybit",
         "hyperliquid": "Hyperliquid"}
#: faults after which a venue gives nothing at all
SILENCING = ("timeout", "latency_3s", "http_500", "429_retry_after", "unknown_symbol", "refused")
#: what no post may say without price history
STORY_WORDS = ("nowhere fast", "sideways", "calm before", "trend", "support", "resistance")
_clean: list[float] = []
_saved_markets: list[Path] = []


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every venue's ccxt exchange without its client-side request spacing."""
    real = VenueClient._new_exchange

    def new_exchange(self: VenueClient) -> object:
        exchange = real(self)
        exchange.enableRateLimit = False
        return exchange

    monkeypatch.setattr(VenueClient, "_new_exchange", new_exchange)


@dataclass(frozen=True)
class Reply:
    """What a user would see, and how long it took."""

    seconds: float
    article: str
    headline: str
    quick: str


def drill_settings(fx: FakeExchange, **venues: object) -> Settings:
    return fx.settings(load_settings(), **{"timeout_seconds": TIMEOUT, **venues})


@asynccontextmanager
async def fake(cold: bool = False) -> AsyncIterator[FakeExchange]:
    """A fake exchange; unless ``cold``, the bot finds every market list on disk."""
    if not cold and not _saved_markets:
        await clean_seconds()
    with loopback_guard() as violations:
        async with running_fake_exchange() as fx:
            if not cold:
                shutil.copytree(_saved_markets[0], fx.cache_dir, dirs_exist_ok=True)
            yield fx
    assert violations == []
    assert fx.errors == [], f"requests the fake does not serve: {fx.errors}"


async def reply_of(fx: FakeExchange, settings: Settings | None = None) -> Reply:
    settings = settings or drill_settings(fx)
    started = time.perf_counter()
    src = CcxtSource(settings)
    await src.start()
    try:
        snap = await src.snapshot("BTC")
    finally:
        await src.close()
    analysis = analyse(snap, settings)
    post = render_article(analysis, chat_id=7, flavour="text")
    quick = render_quick(analysis, "text")
    return Reply(time.perf_counter() - started, post.text, post.headline, quick)


async def clean_seconds(cold: bool = False) -> float:
    """The clean reply's time, cold or with market lists on disk (measured once)."""
    if not _clean:
        async with fake(cold=True) as fx:
            await reply_of(fx)  # imports and first-use costs stay out of the baseline
            saved = Path(tempfile.mkdtemp(prefix="drill-markets-"))
            shutil.copytree(fx.cache_dir, saved, dirs_exist_ok=True)
            _saved_markets.append(saved)
        async with fake(cold=True) as fx:
            cold_seconds = (await reply_of(fx)).seconds
        async with fake() as fx:
            _clean.extend([cold_seconds, (await reply_of(fx)).seconds])
    return _clean[0 if cold else 1]


def sent_texts(calls: list[Call]) -> list[str]:
    return [str(c.params["text"]) for c in calls if c.method == "sendMessage"]


def missing_line(reply: Reply) -> str:
    return next((ln for ln in reply.quick.splitlines() if ln.startswith("Missing:")), "")


async def assert_within_budget(reply: Reply, cold: bool = False) -> None:
    budget = await clean_seconds(cold) + TIMEOUT + 1.0
    assert reply.seconds <= budget, f"{reply.seconds:.2f}s > {budget:.2f}s"


@pytest.mark.parametrize("kind", SILENCING)
@pytest.mark.parametrize("venue", DERIVATIVES)
async def test_a_silent_derivatives_venue_is_named_in_both_posts_within_the_budget(
    venue: str, kind: str
) -> None:
    async with fake() as fx:
        apply(fx, venue, kind)
        reply = await reply_of(fx)
    await assert_within_budget(reply)
    assert NAMES[venue] in missing_line(reply)
    assert any("left out" in line and NAMES[venue] in line
               for line in reply.article.splitlines())
    assert "Futures: OI" in reply.quick


@pytest.mark.parametrize("kind", [k for k in SILENCING if k != "unknown_symbol"] + ["nulls"])
async def test_with_the_spot_venue_down_the_price_is_the_perpetuals_mark_and_no_story_is_told(
    kind: str,
) -> None:
    async with fake() as fx:
        apply(fx, "binance", kind)
        reply = await reply_of(fx)
    await assert_within_budget(reply)
    assert "mark price of" in reply.quick and "Binance spot" in reply.quick
    assert "Binance spot" in missing_line(reply)
    assert "Price history is unavailable right now" in reply.article
    assert "What's next" not in reply.article
    assert not any(word in reply.headline.lower() for word in STORY_WORDS)


async def test_a_spot_market_not_listed_is_said_and_the_mark_price_stands_in() -> None:
    async with fake() as fx:
        apply(fx, "binance", "unknown_symbol")
        reply = await reply_of(fx)
    assert "Binance spot not listing this market" in reply.quick
    assert "Binance spot (market not listed)" in missing_line(reply)


async def test_no_candles_means_no_price_story_but_the_spot_price_and_the_futures() -> None:
    async with fake() as fx:
        apply(fx, "binance", "empty_candles")
        reply = await reply_of(fx)
    await assert_within_budget(reply)
    assert "Price history is unavailable right now" in reply.article
    assert "mark price" not in reply.quick
    assert "nowhere fast" not in reply.headline and "What's next" not in reply.article
    assert "Trend (" not in reply.quick and "Levels:" not in reply.quick
    assert "Futures: OI" in reply.quick


@pytest.mark.parametrize("kind", ["nulls", "empty_candles"])
@pytest.mark.parametrize("venue", DERIVATIVES)
async def test_a_garbled_derivatives_venue_never_breaks_the_reply(venue: str, kind: str) -> None:
    async with fake() as fx:
        apply(fx, venue, kind)
        reply = await reply_of(fx)
    await assert_within_budget(reply)
    assert reply.quick.startswith("BTC $") and "mark price" not in reply.quick
    assert "Price history is unavailable" not in reply.article
    assert "None" not in reply.article and "None" not in reply.quick


@pytest.mark.parametrize("after", [1, 2, 4])
@pytest.mark.parametrize("venue", VENUES)
async def test_a_truncated_answer_at_any_point_costs_data_not_the_reply(
    venue: str, after: int
) -> None:
    async with fake() as fx:
        fx.fault(venue, "malformed", after=after)
        reply = await reply_of(fx)
    assert reply.quick.startswith("BTC $")
    assert reply.article.count("\n") > 5


@pytest.mark.parametrize("venues", [("okx",), ("binance",), DERIVATIVES],
                         ids=["okx", "spot", "all-perps"])
async def test_a_cold_start_with_venues_timing_out_finishes_within_the_budget(
    venues: tuple[str, ...],
) -> None:
    async with fake(cold=True) as fx:
        apply(fx, venues, "timeout")
        reply = await reply_of(fx)
    await assert_within_budget(reply, cold=True)
    line = missing_line(reply)
    assert all(NAMES[v] in line for v in venues)


async def test_every_derivatives_venue_timing_out_still_gives_a_spot_post_naming_them() -> None:
    async with fake() as fx:
        apply(fx, DERIVATIVES, "timeout")
        reply = await reply_of(fx)
    await assert_within_budget(reply)
    line = missing_line(reply)
    assert all(NAMES[v] in line for v in DERIVATIVES)
    assert "No futures figures this time" in reply.article


async def test_a_429_retry_after_inside_the_budget_is_waited_out_and_the_venue_answers() -> None:
    async with fake() as fx:
        settings = drill_settings(fx, timeout_seconds=3.0, backoff_seconds=0.0)
        fx.fault("okx", "429", match="funding-rate", retry_after=0.6, times=1)
        reply = await reply_of(fx, settings)
        asked = fx.venues["okx"].requests.count("GET /api/v5/public/funding-rate")
    assert asked == 2 and reply.seconds >= 0.6
    assert "OKX" not in missing_line(reply)


async def test_a_429_retry_after_beyond_the_budget_is_not_waited_for() -> None:
    async with fake() as fx:
        fx.fault("okx", "429", retry_after=30)
        reply = await reply_of(fx)
        asked = list(fx.venues["okx"].requests)
    await assert_within_budget(reply)
    assert "OKX (rate-limited)" in missing_line(reply)
    assert len(asked) == len(set(asked))  # each request one 429, none retried into a 30 s wait


async def test_btc_names_the_missing_venue_and_status_shows_each_venues_real_state() -> None:
    async with fake() as fx:
        settings = drill_settings(fx)
        settings = settings.model_copy(update={
            "telegram": settings.telegram.model_copy(update={"operators": (5,)})})
        apply(fx, "okx", "http_500")
        src = CcxtSource(settings)
        try:
            async with harness(settings, src) as h:
                [btc] = sent_texts(await h.send("/btc"))
                [status] = sent_texts(await h.send("/status"))
        finally:
            await src.close()
    assert "Missing: OKX (unreachable)" in btc
    assert "OKX: failing: unreachable" in status and "never answered" in status
    assert "Bybit: ok · last answer" in status and "Binance spot: ok" in status
    assert "market list" in status


async def test_a_restart_reads_market_lists_from_disk_and_asks_no_venue_for_them() -> None:
    listings = ("GET /api/v3/exchangeInfo", "GET /fapi/v1/exchangeInfo",
                "GET /api/v5/public/instruments", "GET /v5/market/instruments-info",
                "spotMeta")
    async with fake(cold=True) as fx:
        first = await reply_of(fx)
        fx.reset_counts()
        fx.fault("okx", "timeout", seconds=60, match="instruments")
        again = await reply_of(fx)
        asked = [r for v in fx.venues.values() for r in v.requests if r in listings]
    assert asked == [] and "OKX" not in missing_line(again)
    assert again.quick.split("\n")[0] == first.quick.split("\n")[0]


async def test_values_served_stale_after_a_venue_error_carry_their_age_in_words() -> None:
    async with fake() as fx:
        settings = drill_settings(fx)
        settings = settings.model_copy(
            update={"cache": settings.cache.model_copy(update={"derivatives_ttl": 0.0})})
        src = CcxtSource(settings)
        try:
            await src.start()
            await src.snapshot("BTC")
            fx.fault("bybit", "500")
            analysis = analyse(await src.snapshot("BTC"), settings)
        finally:
            await src.close()
    quick = render_quick(analysis, "text")
    article = render_article(analysis, chat_id=7, flavour="text").text
    assert "Stale: Bybit" in quick and "second" in quick.split("Stale:")[1]
    assert "Some figures are the last good answers: Bybit" in article


async def test_an_old_market_list_still_serves_the_reply_while_it_is_refreshed() -> None:
    async with fake() as fx:
        settings = drill_settings(fx, markets_max_age_hours=1e-6)
        fx.fault("okx", "latency", seconds=30, match="instruments")
        reply = await reply_of(fx, settings)
        refreshing = fx.venues["okx"].requests.count("GET /api/v5/public/instruments")
    await assert_within_budget(reply)
    assert refreshing == 1 and "OKX" not in missing_line(reply)
