"""Stored analyses as versioned JSON: exact round trips, stale records, pickles upgraded."""

from __future__ import annotations

import dataclasses
import json
import pickle
import shutil
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.analysis import Analysis, analyse
from bot.app.codec import ANALYSIS_CODEC, VERSION
from bot.config import Settings
from bot.market.demo import DEMO_END, DemoSource
from bot.storage import Storage
from bot.storage.migrations import latest_version
from tests.fakes.flaky_source import FlakySource
from tests.fakes.telegram_harness import harness
from tests.unit.analysis_data import replay_snapshot

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "posts_v5_pickle.sqlite"
REPLAY_MOMENTS = ("2026-02-04T12:00:00Z", "2026-02-05T20:00:00Z", "2026-03-01T06:00:00Z")


@pytest.fixture(autouse=True)
def _old_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pickle.loads`` of the fixture needs the old ``bot.storage.db.read_only``."""
    import types

    import bot.storage.db

    monkeypatch.setattr(bot.storage.db, "read_only", types.MappingProxyType, raising=False)


def differences(old: Any, new: Any, path: str = "") -> Iterator[str]:
    """Where ``new`` differs from ``old`` in value or in type (``==`` alone hides 8 vs 8.0)."""
    if type(old) is not type(new):
        yield f"{path}: {type(old).__name__} became {type(new).__name__}"
    elif dataclasses.is_dataclass(old):
        for f in dataclasses.fields(old):
            yield from differences(getattr(old, f.name), getattr(new, f.name), f"{path}.{f.name}")
    elif isinstance(old, Mapping):
        if [(k, type(k)) for k in old] != [(k, type(k)) for k in new]:
            yield f"{path}: keys {list(old)} became {list(new)}"
        for key in old:
            yield from differences(old[key], new.get(key), f"{path}[{key!r}]")
    elif isinstance(old, tuple):
        if len(old) != len(new):
            yield f"{path}: {len(old)} items became {len(new)}"
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            yield from differences(a, b, f"{path}[{i}]")
    elif isinstance(old, datetime):
        if old != new or old.tzinfo is not new.tzinfo:
            yield f"{path}: {old!r} became {new!r}"
    elif old != new:
        yield f"{path}: {old!r} became {new!r}"


def _exact_round_trip(analysis: Analysis) -> None:
    back = ANALYSIS_CODEC.decode(ANALYSIS_CODEC.encode(analysis))
    assert back == analysis
    assert list(differences(analysis, back)) == []


@pytest.mark.parametrize("symbol", ["BTC", "ETH", "SOL"])
@pytest.mark.parametrize("hours_before_end", [0, 6, 30])
def test_demo_analyses_come_back_exactly(settings: Settings, symbol: str,
                                         hours_before_end: int) -> None:
    at = DEMO_END - timedelta(hours=hours_before_end)
    _exact_round_trip(analyse(DemoSource(settings, at).snapshot_now(symbol), settings))


@pytest.mark.parametrize("when", REPLAY_MOMENTS)
@pytest.mark.parametrize("symbol", ["BTC", "ETH"])
def test_real_moments_come_back_exactly(shared_data: Path, settings: Settings, when: str,
                                        symbol: str) -> None:
    _exact_round_trip(analyse(replay_snapshot(shared_data, settings, when, symbol), settings))


def test_the_record_is_versioned_json(settings: Settings) -> None:
    analysis = analyse(DemoSource(settings).snapshot_now("BTC"), settings)
    record = json.loads(ANALYSIS_CODEC.encode(analysis))
    assert record["v"] == VERSION == 1
    assert record["analysis"]["symbol"] == "BTC"
    assert record["analysis"]["as_of"].endswith("Z")


def test_only_an_analysis_is_encoded() -> None:
    with pytest.raises(TypeError):
        ANALYSIS_CODEC.encode({"symbol": "BTC"})


def _mangled(text: str) -> str:
    record = json.loads(text)
    del record["analysis"]["bias"]  # a required field gone: the shape changed
    return json.dumps(record)


def _retyped(text: str) -> str:
    record = json.loads(text)
    record["analysis"]["levels"] = "support somewhere"
    return json.dumps(record)


@pytest.mark.parametrize("change", [
    lambda text: json.dumps({"v": 999, "analysis": json.loads(text)["analysis"]}),
    lambda text: json.dumps({"analysis": json.loads(text)["analysis"]}),
    lambda text: json.dumps({"v": 1}),
    _mangled, _retyped,
    lambda text: "null", lambda text: "[]", lambda text: "{not json", lambda text: "",
])
def test_a_record_of_another_version_or_shape_reads_as_stale(settings: Settings,
                                                            change: Any) -> None:
    text = ANALYSIS_CODEC.encode(analyse(DemoSource(settings).snapshot_now("ETH"), settings))
    assert ANALYSIS_CODEC.decode(change(text)) is None


def test_unreadable_pickles_upgrade_to_nothing() -> None:
    forbidden = pickle.dumps(shutil.rmtree)  # never imported, never called
    assert ANALYSIS_CODEC.upgrade(forbidden) is None
    assert ANALYSIS_CODEC.upgrade(pickle.dumps({"symbol": "BTC"})) is None
    assert ANALYSIS_CODEC.upgrade(b"\x80\x05garbage") is None


def test_pickled_posts_of_schema_5_upgrade_to_json(tmp_path: Path) -> None:
    with sqlite3.connect(FIXTURE) as conn:
        rows = conn.execute("SELECT symbol, as_of, analysis FROM posts ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["BTC", "ETH"]
    for symbol, as_of, blob in rows:
        text = ANALYSIS_CODEC.upgrade(blob)
        assert text is not None
        analysis = ANALYSIS_CODEC.decode(text)
        assert isinstance(analysis, Analysis)
        assert analysis == pickle.loads(blob)  # what the old code read back
        assert (analysis.symbol, analysis.as_of) == (symbol, datetime.fromisoformat(as_of))


async def test_opening_with_the_codec_migrates_the_pickles_readably(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    shutil.copyfile(FIXTURE, db)
    with sqlite3.connect(db) as conn:  # one pickle no current class can read
        conn.execute("INSERT INTO posts (symbol, as_of, created_at, analysis) VALUES "
                     "('SOL', '2026-03-01T06:00:00+00:00', '2026-03-01T06:00:00+00:00', ?)",
                     (pickle.dumps(shutil.rmtree),))
    store = await Storage.open(db, codec=ANALYSIS_CODEC)
    try:
        assert await store.schema_version() == latest_version()
        btc, eth, sol = [await store.post(i) for i in (1, 2, 3)]
        assert await store.upgrade_posts(ANALYSIS_CODEC.upgrade) == 0  # once only
    finally:
        await store.close()
    assert btc is not None and isinstance(btc.analysis, Analysis)
    assert eth is not None and eth.analysis.symbol == "ETH"
    assert sol is not None and sol.analysis is None and sol.symbol == "SOL"
    with sqlite3.connect(db) as conn:
        read = conn.execute("SELECT id, typeof(analysis), json_extract(analysis, '$.v'), "
                            "json_extract(analysis, '$.analysis.symbol') FROM posts").fetchall()
    assert read == [(1, "text", 1, "BTC"), (2, "text", 1, "ETH"), (3, "text", None, None)]


async def test_a_stored_post_that_no_longer_reads_answers_its_buttons_politely(
    settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    store = await Storage.open(db, codec=ANALYSIS_CODEC)
    try:
        async with harness(settings, FlakySource(DemoSource(settings)), store) as h:
            [post] = [c for c in await h.send("/btc") if c.method == "sendMessage"]
            markup = post.params["reply_markup"]
            rows = json.loads(markup) if isinstance(markup, str) else markup
            question = next(b["callback_data"] for row in rows["inline_keyboard"] for b in row
                            if b["callback_data"].startswith("q:"))
            with sqlite3.connect(db) as conn:
                assert conn.execute("SELECT json_extract(analysis, '$.v') FROM posts"
                                    ).fetchall() == [(1,)]
                conn.execute("UPDATE posts SET analysis = json_set(analysis, '$.v', 999)")
            [answer] = await h.tap(post, question)
            mangled = '{"v": 1, "analysis": {"symbol": "BTC"}}'
            with sqlite3.connect(db) as conn:
                conn.execute("UPDATE posts SET analysis = ?", (mangled,))
            [again] = await h.tap(post, question)
            service = h.app.bot_data["market_service"]
    finally:
        await store.close()
    for reply in (answer, again):
        assert reply.method == "answerCallbackQuery"
        assert "old post" in reply.params["text"]
    assert service.counters.errors == 0


async def test_without_the_codec_pickles_are_left_for_it_and_read_as_stale(tmp_path: Path
                                                                           ) -> None:
    db = tmp_path / "bot.sqlite3"
    shutil.copyfile(FIXTURE, db)
    store = await Storage.open(db)  # a tool that knows no analysis types
    try:
        post = await store.post(1)
    finally:
        await store.close()
    assert post is not None and post.symbol == "BTC" and post.analysis is None
    with sqlite3.connect(db) as conn:
        kinds = conn.execute("SELECT typeof(analysis) FROM posts").fetchall()
    assert kinds == [("blob",), ("blob",)]
