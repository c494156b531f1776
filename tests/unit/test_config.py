"""Config loading: the bundled file is valid, and every kind of bad value is one clear line."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings, load_settings, settings_from_dict, telegram_token
from bot.errors import ConfigError
from bot.resources import default_config_path

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    """The bundled config.toml as parsed TOML."""
    return tomllib.loads(default_config_path().read_text(encoding="utf-8"))


def _error_for(bundled: dict[str, Any], edit: Edit) -> str:
    """The ConfigError message after applying ``edit`` to a copy of the bundled config."""
    data = copy.deepcopy(bundled)
    edit(data)
    with pytest.raises(ConfigError) as info:
        settings_from_dict(data)
    return str(info.value)


def _set(section: str, key: str, value: object) -> Edit:
    return lambda d: d[section].__setitem__(key, value)


def test_bundled_config_loads_with_the_documented_defaults() -> None:
    settings = load_settings()
    assert isinstance(settings, Settings)
    assert settings.symbol_names[:3] == ("BTC", "ETH", "SOL")
    btc = settings.symbol("bitcoin")
    assert btc is not None and btc.name == "BTC"
    assert btc.spot == "BTC/USDT"
    assert btc.markets["binanceusdm"] == "BTC/USDT:USDT"
    assert btc.markets["hyperliquid"] == "BTC/USDC:USDC"
    assert settings.venues.derivatives == ("binanceusdm", "okx", "bybit", "hyperliquid")
    assert settings.timeframes.enabled == ("1h", "4h", "1d")
    assert settings.timeframes.bars >= 250
    assert settings.locale == "en_US"
    assert settings.database_path().endswith("market-commentator.sqlite3")


def test_symbol_lookup_ignores_case_and_dollar_prefix() -> None:
    settings = load_settings()
    found = settings.symbol("$Eth")
    assert found is not None and found.name == "ETH"
    assert settings.symbol("XYZ") is None


def test_config_file_never_holds_the_token_it_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "  123:abc  ")
    assert telegram_token() == "123:abc"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert telegram_token() is None


def test_a_venue_api_url_override_is_accepted(bundled: dict[str, Any]) -> None:
    data = copy.deepcopy(bundled)
    data["venues"]["api_url"] = {"binanceusdm": "http://127.0.0.1:8080"}
    settings = settings_from_dict(data)
    assert settings.venues.api_url == {"binanceusdm": "http://127.0.0.1:8080"}


BAD_VALUES: list[tuple[str, Edit, str]] = [
    (
        "wrong type",
        _set("venues", "timeout_seconds", "slow"),
        "venues.timeout_seconds: Input should be a valid number, unable to parse string as a "
        "number (got 'slow')",
    ),
    (
        "out of range (zero timeout)",
        _set("venues", "timeout_seconds", 0),
        "venues.timeout_seconds: Input should be greater than 0 (got 0)",
    ),
    (
        "out of range (too many retries)",
        _set("venues", "retries", 99),
        "venues.retries: Input should be less than or equal to 10 (got 99)",
    ),
    (
        "unknown spot venue",
        _set("venues", "spot", "kraken"),
        "venues.spot: expected one of binance, binanceusdm, okx, bybit, hyperliquid",
    ),
    (
        "unknown derivatives venue",
        _set("venues", "derivatives", ["okx", "kraken"]),
        "venues.derivatives: expected venue ids from binance, binanceusdm, okx, bybit, "
        "hyperliquid, not 'kraken'",
    ),
    (
        "bad URL in venues.api_url",
        _set("venues", "api_url", {"okx": "ftp://proxy"}),
        "venues.api_url: expected an http(s) URL for okx, not 'ftp://proxy'",
    ),
    (
        "unknown venue in venues.api_url",
        _set("venues", "api_url", {"kraken": "http://127.0.0.1:1"}),
        "venues.api_url: expected venue ids from binance, binanceusdm, okx, bybit, "
        "hyperliquid, not 'kraken'",
    ),
    (
        "lower-case symbol name",
        lambda d: d["symbols"][0].__setitem__("name", "btc"),
        "symbols[0].name: expected an upper-case ticker such as BTC",
    ),
    (
        "duplicate alias",
        lambda d: d["symbols"][1].__setitem__("aliases", ["ethereum", "Bitcoin"]),
        "symbols: expected unique names and aliases, but 'bitcoin' appears twice",
    ),
    (
        "no symbols",
        lambda d: d.__setitem__("symbols", []),
        "symbols: expected at least one [[symbols]] entry",
    ),
    (
        "missing required key",
        lambda d: d["symbols"][2].pop("spot"),
        "symbols[2].spot: missing; this key is required",
    ),
    (
        "unknown timezone",
        _set("schedule", "timezone", "Mars/Olympus"),
        "schedule.timezone: expected an IANA time zone such as Europe/Berlin",
    ),
    (
        "bad locale",
        lambda d: d.__setitem__("locale", "xx_YY"),
        "locale: expected a Babel locale such as en_US",
    ),
    (
        "unknown key in a section",
        _set("venues", "timeout", 5),
        "venues.timeout: unknown key (not a setting; check the spelling against config.toml)",
    ),
    (
        "unknown top-level key",
        lambda d: d.__setitem__("colour", "red"),
        "colour: unknown key (not a setting; check the spelling against config.toml)",
    ),
    (
        "bad whale address",
        lambda d: d["whales"]["tracked"][0].__setitem__("address", "0x1234"),
        "whales.tracked[0].address: expected a 0x-prefixed 40-hex-digit address",
    ),
    (
        "whale size change of zero",
        lambda d: d["whales"]["watch"].__setitem__("change_pct", 0),
        "whales.watch.change_pct: Input should be greater than 0 (got 0)",
    ),
    (
        "whale poll too often",
        lambda d: d["whales"]["watch"].__setitem__("poll_seconds", 5),
        "whales.watch.poll_seconds: Input should be greater than or equal to 30 (got 5)",
    ),
    (
        "unknown timeframe",
        _set("timeframes", "enabled", ["1h", "2h"]),
        "timeframes.enabled: expected timeframes from 1h, 4h, 1d, not '2h'",
    ),
    (
        "storage engine neither SQLite nor PostgreSQL",
        _set("storage", "url", "mysql://db/bot"),
        "storage.url: expected a sqlite:///path URL (embedded) or a "
        "postgresql://user:password@host:port/database URL",
    ),
    (
        "PostgreSQL URL without a database name",
        _set("storage", "url", "postgres://db"),
        "storage.url: expected a postgresql://user:password@host:port/database URL "
        "(host and database name required)",
    ),
    (
        "wrong type inside a list",
        _set("telegram", "operators", ["alice"]),
        "telegram.operators[0]: Input should be a valid integer, unable to parse string as an "
        "integer (got 'alice')",
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [(edit, expected) for _, edit, expected in BAD_VALUES],
    ids=[case for case, _, _ in BAD_VALUES],
)
def test_bad_value_is_one_line_naming_the_key_and_what_is_expected(
    bundled: dict[str, Any], edit: Edit, expected: str
) -> None:
    message = _error_for(bundled, edit)
    assert message == f"config error in {expected}"
    assert "\n" not in message


def test_bad_value_in_a_file_names_the_file(tmp_path: Path) -> None:
    text = default_config_path().read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("timeout_seconds = 8.0", "timeout_seconds = -1"), "utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    assert str(info.value) == (
        f"{bad}: config error in venues.timeout_seconds: Input should be greater than 0 (got -1)"
    )


def test_a_valid_copy_elsewhere_resolves_the_database_next_to_it(tmp_path: Path) -> None:
    copy_path = tmp_path / "mine.toml"
    copy_path.write_text(default_config_path().read_text(encoding="utf-8"), "utf-8")
    settings = load_settings(copy_path)
    assert settings.database_path() == str(tmp_path / "var" / "market-commentator.sqlite3")


def test_bad_toml_syntax_names_the_file_and_the_position(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text('locale = "en_US\n', "utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    message = str(info.value)
    assert message.startswith(f"{bad} is not valid TOML: ")
    assert "line 1" in message
    assert "\n" not in message


def test_a_file_that_is_not_utf8_is_reported_as_bad_toml(tmp_path: Path) -> None:
    bad = tmp_path / "binary.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match=r"is not valid TOML"):
        load_settings(bad)


def test_missing_config_file_is_reported_with_its_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(missing)
    assert str(info.value) == f"cannot read config file {missing}: No such file or directory"


def test_unreadable_config_path_is_reported_not_raised_raw(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path)  # a directory cannot be read as a file
    assert str(info.value) == f"cannot read config file {tmp_path}: Is a directory"


def test_a_postgresql_url_is_the_database_and_market_lists_stay_beside_the_config(
    tmp_path: Path,
) -> None:
    copy_path = tmp_path / "pg.toml"
    text = default_config_path().read_text(encoding="utf-8")
    url = "postgresql://bot:secret@db.internal:5432/commentator"
    copy_path.write_text(text.replace('url = "sqlite:///var/market-commentator.sqlite3"',
                                      f'url = "{url}"'), "utf-8")
    settings = load_settings(copy_path)
    assert settings.storage.is_postgresql
    assert settings.database_path() == url
    assert settings.markets_cache_path() == tmp_path / "var" / "markets"


def test_storage_url_comes_from_the_environment_when_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STORAGE_URL", "postgresql://bot:secret@db:5432/commentator")
    settings = load_settings()
    assert settings.storage.url == "postgresql://bot:secret@db:5432/commentator"
    assert settings.database_path() == "postgresql://bot:secret@db:5432/commentator"
    monkeypatch.setenv("STORAGE_URL", "mysql://db/bot")
    with pytest.raises(ConfigError, match=r"storage\.url: expected a sqlite:///path URL"):
        load_settings()
    monkeypatch.setenv("STORAGE_URL", "  ")
    assert load_settings().storage.url.startswith("sqlite:///")
