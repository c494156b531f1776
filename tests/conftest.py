"""Shared fixtures: the real market data in ../shared/data (skipped when absent)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from tests.fakes.pg_server import REQUIRE_ENV, PostgresServer, PostgresUnavailable, start_postgres

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = (PROJECT_ROOT / ".." / "shared" / "data").resolve()


def shared_data_or_skip() -> Path:
    """The shared real-data folder, or skip the calling test with a clear reason."""
    if not (SHARED_DATA / "ohlcv").is_dir():
        pytest.skip(f"real market data not found at {SHARED_DATA} (../shared/data)")
    return SHARED_DATA


@pytest.fixture
def shared_data() -> Path:
    """Path of ../shared/data; skips the test when the folder is missing."""
    return shared_data_or_skip()


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The bundled default settings."""
    return load_settings()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session; skips (fails under REQUIRE_POSTGRES=1)."""
    try:
        server = start_postgres()
    except PostgresUnavailable as e:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"PostgreSQL is required here ({REQUIRE_ENV}=1) but {e}")
        pytest.skip(f"PostgreSQL cannot start here: {e}")
    yield server
    server.stop()


_DATABASES = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each engine: a SQLite path, or a ``postgresql://`` URL."""
    if request.param == "sqlite":
        return str(tmp_path / "bot.sqlite3")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database(f"test_{os.getpid()}_{next(_DATABASES)}")
