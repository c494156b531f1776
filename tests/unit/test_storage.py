"""The SQLite store: posts once per snapshot, message links, restarts, pruning."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.errors import StorageError
from bot.storage import Storage
from bot.storage.migrations import MIGRATIONS, Migration, latest_version

AS_OF = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class FakeAnalysis:
    symbol: str
    price: float


class FakeCodec:
    """``FakeAnalysis`` as JSON text (storage keeps the text the app's codec gives it)."""

    def encode(self, value: Any) -> str:
        return json.dumps(dataclasses.asdict(value))

    def decode(self, text: str) -> Any:
        return FakeAnalysis(**json.loads(text))

    def upgrade(self, blob: bytes) -> str | None:
        return None


FAKE = FakeCodec()


async def test_new_database_is_migrated_to_latest_version_in_wal_mode(tmp_path: Path) -> None:
    store = await Storage.open(tmp_path / "db" / "bot.sqlite3")
    try:
        assert await store.schema_version() == latest_version()
        assert await store.journal_mode() == "wal"
    finally:
        await store.close()


async def test_same_symbol_and_snapshot_time_is_stored_once(database: str) -> None:
    store = await Storage.open(database, codec=FAKE)
    try:
        first = await store.save_post("BTC", AS_OF, FakeAnalysis("BTC", 97_000.0))
        again = await store.save_post("BTC", AS_OF, FakeAnalysis("BTC", 97_000.0))
        later = await store.save_post("BTC", AS_OF + timedelta(minutes=1), FakeAnalysis("BTC", 1))
        assert first == again
        assert later != first
        assert (await store.counts())["posts"] == 2
    finally:
        await store.close()


async def test_every_part_of_a_split_post_finds_the_analysis_after_restart(database: str) -> None:
    path = database
    store = await Storage.open(path, codec=FAKE)
    post_id = await store.save_post("ETH", AS_OF, FakeAnalysis("ETH", 3_400.5))
    await store.link_message(-100123, 7, post_id, part=0, view="digest")
    await store.link_message(-100123, 8, post_id, part=1, view="digest")
    await store.close()

    reopened = await Storage.open(path, codec=FAKE)
    try:
        for message_id in (7, 8):
            post = await reopened.post_for_message(-100123, message_id)
            assert post is not None
            assert post.analysis == FakeAnalysis("ETH", 3_400.5)
            assert post.as_of == AS_OF
        parts = await reopened.messages_of_post(-100123, post_id)
        assert [(m.message_id, m.part, m.view) for m in parts] == [
            (7, 0, "digest"),
            (8, 1, "digest"),
        ]
        assert await reopened.post_for_message(-100123, 9) is None
    finally:
        await reopened.close()


async def test_prune_removes_old_posts_and_their_message_links(database: str) -> None:
    store = await Storage.open(database, codec=FAKE)
    try:
        post_id = await store.save_post("SOL", AS_OF, FakeAnalysis("SOL", 180.0))
        await store.link_message(5, 1, post_id, view="quick")
        future = datetime.now(UTC) + timedelta(days=31)
        assert await store.prune(timedelta(days=30), now=future) == 1
        assert await store.post(post_id) is None
        assert await store.message(5, 1) is None
    finally:
        await store.close()


async def test_adding_a_migration_is_one_entry_and_applies_on_reopen(database: str) -> None:
    path = database
    await (await Storage.open(path)).close()
    extra = Migration(
        latest_version() + 1, "notes", ("CREATE TABLE notes (id INTEGER PRIMARY KEY)",)
    )
    store = await Storage.open(path, (*MIGRATIONS, extra))
    try:
        assert await store.schema_version() == extra.version
    finally:
        await store.close()


async def test_gap_in_migration_versions_is_refused(tmp_path: Path) -> None:
    bad = (*MIGRATIONS, Migration(latest_version() + 2, "gap", ("SELECT 1",)))
    with pytest.raises(ValueError, match="expected"):
        await Storage.open(tmp_path / "bot.sqlite3", bad)


async def test_unpicklable_analysis_raises_storage_error(tmp_path: Path) -> None:
    store = await Storage.open(":memory:")
    try:
        with pytest.raises(StorageError):
            await store.save_post("BTC", AS_OF, lambda: None)
    finally:
        await store.close()


async def test_analysis_with_read_only_mappings_round_trips(settings: Settings) -> None:
    from types import MappingProxyType

    from bot.analysis import analyse
    from bot.app.codec import ANALYSIS_CODEC
    from bot.market.demo import DemoSource

    store = await Storage.open(":memory:", codec=ANALYSIS_CODEC)
    try:
        value = analyse(DemoSource(settings).snapshot_now("BTC"), settings)
        post_id = await store.save_post("BTC", AS_OF, value)
        post = await store.post(post_id)
        assert post is not None
        assert post.analysis.indicators["1h"] == value.indicators["1h"]
        assert isinstance(post.analysis.indicators, MappingProxyType)
        assert isinstance(post.analysis.indicators["1h"].sma, MappingProxyType)
        assert post.analysis == value
    finally:
        await store.close()


async def test_times_come_back_in_utc_and_naive_times_are_refused(database: str) -> None:
    store = await Storage.open(database, codec=FAKE)
    try:
        berlin = AS_OF.astimezone(timezone(timedelta(hours=1)))
        post = await store.post(await store.save_post("BTC", berlin, FakeAnalysis("BTC", 1.0)))
        assert post is not None
        assert post.as_of == AS_OF and post.as_of.utcoffset() == timedelta(0)
        with pytest.raises(ValueError, match="naive datetime"):
            await store.save_post("BTC", AS_OF.replace(tzinfo=None), FakeAnalysis("BTC", 1.0))
    finally:
        await store.close()
