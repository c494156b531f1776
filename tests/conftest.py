"""Shared fixtures: the real market data in ../shared/data (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, load_settings

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
