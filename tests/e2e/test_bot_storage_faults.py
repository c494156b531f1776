"""Storage faults: one clear line at start; while running, answers that need no write go out."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import Settings
from bot.errors import StorageError
from bot.market.demo import DemoSource
from bot.storage import Storage
from tests.conftest import PROJECT_ROOT
from tests.fakes.bot_process import config_with_database
from tests.fakes.telegram_harness import harness

RUN = ("run", "--demo")


def _one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("error: ")
    return lines[0]


def test_a_storage_file_that_is_not_a_database_stops_run_with_one_line_not_a_hang(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.sqlite3"
    database.write_bytes(b"this is not a SQLite file " * 100)  # the WAL pragma fails on it
    config = config_with_database(tmp_path, database)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TEST-token",
           "TELEGRAM_API_URL": "http://127.0.0.1:9/bot"}
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), *RUN],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    line = _one_line_error(result.stderr)
    assert result.returncode != 0
    assert str(database) in line and "not a SQLite database" in line


def test_a_database_folder_that_cannot_be_created_stops_run_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("a file where the database folder should be")
    database = blocker / "bot.sqlite3"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token")
    code = main(["--config", str(config_with_database(tmp_path, database)), *RUN])
    line = _one_line_error(capsys.readouterr().err)
    assert code != 0
    assert str(database) in line and "is a file, not a folder" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_database_folder_stops_run_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked-down"
    folder.mkdir(mode=0o500)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token")
    code = main(["--config", str(config_with_database(tmp_path, folder / "bot.sqlite3")), *RUN])
    line = _one_line_error(capsys.readouterr().err)
    assert code != 0
    assert str(folder) in line


def _read_only_folder() -> Path | None:
    """A folder where not even root can create a file (sysfs, procfs), if the machine has one."""
    for candidate in (Path("/sys/kernel"), Path("/proc/sys")):
        probe = candidate / f".probe-test-{os.getpid()}"
        try:
            os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError:
            if candidate.is_dir():
                return candidate
            continue
        probe.unlink()
    return None


def test_a_folder_even_root_cannot_write_stops_run_with_one_line_and_no_traceback(
    tmp_path: Path,
) -> None:
    folder = _read_only_folder()
    if folder is None:
        pytest.skip("no read-only folder (sysfs/procfs) on this machine")
    database = folder / "bot.sqlite3"
    config = config_with_database(tmp_path, database)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TEST-token"}

    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), *RUN],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                            env=env, check=False)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = _one_line_error(result.stderr)
    assert str(database) in line and f"folder {folder} is not writable" in line


def test_a_database_locked_by_another_process_stops_run_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "bot.sqlite3"
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("CREATE TABLE held (x INTEGER)")  # a write: the lock is now held
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token")
    try:
        code = main(["--config", str(config_with_database(tmp_path, database)), *RUN])
    finally:
        other.close()
    line = _one_line_error(capsys.readouterr().err)
    assert code != 0
    assert str(database) in line and "locked by another process" in line


async def _fill(storage: Storage) -> None:
    """No page left to grow into: every write that needs one fails like a full disk."""
    conn = storage._conn  # the storage's own connection: the limit is per connection
    async with conn.execute("PRAGMA page_count") as cur:
        row = await cur.fetchone()
    assert row is not None
    await conn.execute(f"PRAGMA max_page_count={int(row[0])}")


async def test_btc_is_answered_while_the_disk_is_full(settings: Settings, tmp_path: Path
                                                      ) -> None:
    storage = await Storage.open(tmp_path / "bot.sqlite3")
    await _fill(storage)
    try:
        async with harness(settings, DemoSource(settings), storage) as h:
            replies = await h.send("/btc")
            with pytest.raises(StorageError, match="the disk is full"):
                await storage.save_post("BTC", (await DemoSource(settings).snapshot("BTC"))
                                        .as_of, {"big": "x" * 100_000})
    finally:
        await storage.close()
    assert replies and "BTC" in replies[0].params["text"]
    assert "went wrong" not in replies[0].params["text"]


async def test_a_write_waits_out_a_short_lock_and_gives_up_on_a_long_one(tmp_path: Path
                                                                        ) -> None:
    database = tmp_path / "bot.sqlite3"
    storage = await Storage.open(database)
    other = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock for 1.5 s
        asyncio.get_running_loop().call_later(1.5, other.execute, "COMMIT")
        await storage.save_chat_context(1, "bias", None, "BTC")  # retried past the lock
        other.execute("BEGIN IMMEDIATE")  # and now for good
        with pytest.raises(StorageError, match="locked by another process"):
            await storage.save_chat_context(2, "bias", None, "BTC")
        saved = await storage.chat_context(1)
    finally:
        other.close()
        await storage.close()
    assert saved is not None and saved.symbol == "BTC"
