"""The bundled coin table: tickers with their names, and a clear error when unreadable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coins import coin_table
from bot.errors import ConfigError


def test_bundled_table_lists_about_two_hundred_coins_with_names() -> None:
    coins = {coin.ticker: coin.name for coin in coin_table()}
    assert len(coins) >= 200
    assert coins["BTC"] == "Bitcoin"
    assert coins["DOGE"] == "Dogecoin"


def test_a_missing_table_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="coin table"):
        coin_table(tmp_path / "absent.csv")
