"""config.toml → validated, frozen settings (pydantic). Secrets come from the environment.

``load_settings(path)`` validates once at start; a bad value raises ``ConfigError``
whose message is one line naming the key and what is expected.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import ConfigError
from bot.resources import default_config_path

KNOWN_VENUES = ("binance", "binanceusdm", "okx", "bybit", "hyperliquid")
KNOWN_TIMEFRAMES = ("1h", "4h", "1d")
_SYMBOL_RE = re.compile(r"^[A-Z0-9]{2,15}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _known_venue(venue: str) -> None:
    if venue not in KNOWN_VENUES:
        raise ValueError(f"venue ids from {', '.join(KNOWN_VENUES)}, not {venue!r}")


class VenuesSettings(_Model):
    """Which venues to query and how patiently."""

    spot: str = "binance"
    derivatives: tuple[str, ...] = ("binanceusdm", "okx", "bybit", "hyperliquid")
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 8.0
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    backoff_seconds: Annotated[float, Field(ge=0, le=60)] = 0.5
    markets_cache_dir: str = ""
    markets_max_age_hours: Annotated[float, Field(gt=0, le=24 * 30)] = 24.0
    api_url: dict[str, str] = Field(default_factory=dict)

    @field_validator("markets_cache_dir")
    @classmethod
    def _cache_dir(cls, v: str) -> str:
        if v.strip() != v or "\0" in v:
            raise ValueError("a folder path without surrounding spaces (or empty)")
        return v

    @field_validator("spot")
    @classmethod
    def _known_spot(cls, v: str) -> str:
        if v not in KNOWN_VENUES:
            raise ValueError(f"one of {', '.join(KNOWN_VENUES)}")
        return v

    @field_validator("derivatives")
    @classmethod
    def _known_derivatives(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for venue in v:
            _known_venue(venue)
        return v

    @field_validator("api_url")
    @classmethod
    def _urls(cls, v: dict[str, str]) -> dict[str, str]:
        for venue, url in v.items():
            _known_venue(venue)
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"an http(s) URL for {venue}, not {url!r}")
        return v


class SymbolSettings(_Model):
    """One tradable symbol with its aliases and each venue's market symbol."""

    name: str
    aliases: tuple[str, ...] = ()
    spot: str
    markets: dict[str, str] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _upper(cls, v: str) -> str:
        if not _SYMBOL_RE.match(v):
            raise ValueError("an upper-case ticker such as BTC")
        return v

    @field_validator("spot")
    @classmethod
    def _spot(cls, v: str) -> str:
        if "/" not in v:
            raise ValueError("a ccxt spot symbol such as BTC/USDT")
        return v


class TimeframeSettings(_Model):
    """Candle timeframes and history length."""

    enabled: tuple[str, ...] = KNOWN_TIMEFRAMES
    bars: Annotated[int, Field(ge=50, le=1500)] = 300
    history_bars: Annotated[int, Field(ge=0, le=1000)] = 1000

    @field_validator("enabled")
    @classmethod
    def _tfs(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for tf in v:
            if tf not in KNOWN_TIMEFRAMES:
                raise ValueError(f"timeframes from {', '.join(KNOWN_TIMEFRAMES)}, not {tf!r}")
        return v


PositiveInt = Annotated[int, Field(gt=0, le=1000)]


class IndicatorSettings(_Model):
    """Indicator periods."""

    sma: tuple[PositiveInt, ...] = (20, 50, 100, 200)
    ema: tuple[PositiveInt, ...] = (20, 50)
    rsi: PositiveInt = 14
    macd: tuple[PositiveInt, PositiveInt, PositiveInt] = (12, 26, 9)
    dmi: PositiveInt = 14
    atr: PositiveInt = 14


class CacheSettings(_Model):
    """Freshness of cached values, in seconds."""

    ticker_ttl: Annotated[float, Field(ge=0)] = 10
    candles_ttl: Annotated[float, Field(ge=0)] = 30
    derivatives_ttl: Annotated[float, Field(ge=0)] = 60
    whales_ttl: Annotated[float, Field(ge=0)] = 120
    history_ttl: Annotated[float, Field(ge=0)] = 21600
    stale_max_seconds: Annotated[float, Field(ge=0)] = 1800


class TrackedWhale(_Model):
    """A Hyperliquid address to follow."""

    address: str
    label: str

    @field_validator("address")
    @classmethod
    def _address(cls, v: str) -> str:
        if not re.fullmatch(r"0x[0-9a-fA-F]{40}", v):
            raise ValueError("a 0x-prefixed 40-hex-digit address")
        return v.lower()


class WhaleWatchSettings(_Model):
    """The whale watcher: poll interval, what counts as an event, pacing per chat."""

    poll_seconds: Annotated[float, Field(ge=30)] = 300
    #: a position's size change (percent) that is an event: increased or reduced
    change_pct: Annotated[float, Field(gt=0, le=100)] = 10
    #: events of positions smaller than this (USD, before or after) are not announced
    min_notional_usd: Annotated[float, Field(ge=0)] = 1_000_000
    #: deposits and withdrawals (USD) announced from this size
    deposit_usd: Annotated[float, Field(gt=0)] = 1_000_000
    #: /whalealerts on without a size: events from this size
    default_min_usd: Annotated[float, Field(ge=0)] = 5_000_000
    #: least time between two whale messages to one chat, and their most per 24 hours
    cooldown_seconds: Annotated[float, Field(ge=0)] = 60
    daily_cap: Annotated[int, Field(ge=1, le=1000)] = 24
    #: addresses one chat may add with /whalewatch add
    max_per_chat: Annotated[int, Field(ge=0, le=100)] = 10


class WhaleSettings(_Model):
    """Whale tracking."""

    large_trade_usd: Annotated[float, Field(gt=0)] = 1_000_000
    tracked: tuple[TrackedWhale, ...] = ()
    watch: WhaleWatchSettings = Field(default_factory=WhaleWatchSettings)


class ScheduleSettings(_Model):
    """Subscription defaults."""

    default: str = "daily 08:00"
    timezone: str = "UTC"
    max_subscriptions_per_chat: Annotated[int, Field(ge=1, le=100)] = 10
    catch_up_grace_minutes: Annotated[float, Field(ge=0)] = 30

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError("an IANA time zone such as Europe/Berlin") from e
        return v


class AlertSettings(_Model):
    """Price alerts: caps, pacing and the check interval."""

    max_per_chat: Annotated[int, Field(ge=1, le=1000)] = 20
    #: least time between two alert messages to one chat (fired alerts wait, then go together)
    cooldown_seconds: Annotated[float, Field(ge=0)] = 60
    #: alert messages one chat gets in 24 hours at most (further firings wait)
    daily_cap: Annotated[int, Field(ge=1, le=1000)] = 30
    check_seconds: Annotated[float, Field(ge=5)] = 60
    #: re-arm margin in percent after firing (None: alerts are one-shot)
    rearm_pct: Annotated[float, Field(gt=0, le=50)] | None = None


LIQUIDATION_VENUES = ("binanceusdm", "bybit", "okx")


class LiquidationSettings(_Model):
    """Liquidation bursts from the venues' websocket streams (``/liqalerts``)."""

    #: watch even when no chat has opted in (otherwise only while some chat has)
    enabled: bool = False
    venues: tuple[str, ...] = LIQUIDATION_VENUES
    #: coins watched (configured ``[[symbols]]`` names); empty: every configured symbol
    coins: tuple[str, ...] = ()
    window_minutes: Annotated[int, Field(ge=1, le=60)] = 3
    #: liquidated notional of one side within the window that makes a burst
    threshold_usd: Annotated[float, Field(gt=0)] = 10_000_000
    #: per-coin thresholds overriding ``threshold_usd`` (``BTC = 25_000_000``)
    thresholds: dict[str, Annotated[float, Field(gt=0)]] = Field(default_factory=dict)
    #: a new burst of a coin is announced only after this long below its threshold
    quiet_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 10
    backoff_seconds: Annotated[float, Field(gt=0, le=60)] = 1.0
    backoff_max_seconds: Annotated[float, Field(gt=0, le=3600)] = 60.0
    #: per-venue websocket base URL override (local test servers): ``ws://127.0.0.1:9000``
    ws_url: dict[str, str] = Field(default_factory=dict)

    @field_validator("venues")
    @classmethod
    def _venues(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for venue in v:
            if venue not in LIQUIDATION_VENUES:
                raise ValueError(f"venue ids from {', '.join(LIQUIDATION_VENUES)}, not {venue!r}")
        return v

    @field_validator("ws_url")
    @classmethod
    def _ws_urls(cls, v: dict[str, str]) -> dict[str, str]:
        for venue, url in v.items():
            if venue not in LIQUIDATION_VENUES:
                raise ValueError(f"venue ids from {', '.join(LIQUIDATION_VENUES)}, not {venue!r}")
            if not re.match(r"^wss?://[^/\s]+", url):
                raise ValueError(f"a ws(s) URL for {venue}, not {url!r}")
        return v

    def threshold(self, coin: str) -> float:
        """The burst threshold of ``coin`` in USD."""
        return self.thresholds.get(coin, self.threshold_usd)


class StorageSettings(_Model):
    """Where subscriptions and stored posts live."""

    url: str = "sqlite:///var/market-commentator.sqlite3"
    retention_days: Annotated[float, Field(gt=0)] = 30

    @field_validator("url")
    @classmethod
    def _sqlite(cls, v: str) -> str:
        if v.startswith(("postgresql://", "postgres://")):
            from urllib.parse import urlsplit

            parts = urlsplit(v)
            if not parts.hostname or not parts.path.strip("/"):
                raise ValueError("a postgresql://user:password@host:port/database URL "
                                 "(host and database name required)")
            return v
        if not v.startswith("sqlite:///") and v != "sqlite://:memory:":
            raise ValueError("a sqlite:///path URL (embedded) or a "
                             "postgresql://user:password@host:port/database URL")
        return v

    @property
    def is_postgresql(self) -> bool:
        """Whether the database is a PostgreSQL server (several bot processes may share it)."""
        return self.url.startswith(("postgresql://", "postgres://"))

    def sqlite_path(self, base: Path) -> str:
        """The database path (relative paths resolve against ``base``); a PostgreSQL URL as is."""
        if self.is_postgresql:
            return self.url
        if self.url == "sqlite://:memory:":
            return ":memory:"
        raw = self.url.removeprefix("sqlite:///")
        path = Path(raw)
        return str(path if path.is_absolute() else base / path)


class TelegramSettings(_Model):
    """Telegram transport settings (the token comes from the environment)."""

    api_url: str = "https://api.telegram.org/bot"
    operators: tuple[int, ...] = ()
    allowed_chats: tuple[int, ...] = ()
    per_user_concurrency: Annotated[int, Field(ge=1, le=20)] = 2


class Settings(_Model):
    """The whole validated configuration."""

    locale: str = "en_US"
    venues: VenuesSettings = Field(default_factory=VenuesSettings)
    symbols: tuple[SymbolSettings, ...]
    timeframes: TimeframeSettings = Field(default_factory=TimeframeSettings)
    indicators: IndicatorSettings = Field(default_factory=IndicatorSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    whales: WhaleSettings = Field(default_factory=WhaleSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    liquidations: LiquidationSettings = Field(default_factory=LiquidationSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    config_dir: Path = Field(default=Path("."), exclude=True)

    @field_validator("locale")
    @classmethod
    def _locale(cls, v: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(v)
        except (UnknownLocaleError, ValueError) as e:
            raise ValueError("a Babel locale such as en_US") from e
        return v

    @field_validator("symbols")
    @classmethod
    def _symbols_unique(cls, v: tuple[SymbolSettings, ...]) -> tuple[SymbolSettings, ...]:
        if not v:
            raise ValueError("at least one [[symbols]] entry")
        seen: set[str] = set()
        for s in v:
            for key in (s.name.lower(), *(a.lower() for a in s.aliases)):
                if key in seen:
                    raise ValueError(f"unique names and aliases, but {key!r} appears twice")
                seen.add(key)
        return v

    @model_validator(mode="after")
    def _liquidation_coins(self) -> Settings:
        names = {s.name for s in self.symbols}
        liq = self.liquidations
        for coin in (*liq.coins, *liq.thresholds):
            if coin not in names:
                raise ValueError(f"liquidations.coins and liquidations.thresholds to name "
                                 f"configured symbols ({', '.join(sorted(names))}), not {coin!r}")
        return self

    def symbol(self, name: str) -> SymbolSettings | None:
        """The symbol whose name or alias is ``name`` (case-insensitive)."""
        key = name.strip().lower().lstrip("$/")
        for s in self.symbols:
            if key == s.name.lower() or key in (a.lower() for a in s.aliases):
                return s
        return None

    @property
    def symbol_names(self) -> tuple[str, ...]:
        """Configured symbol names, in config order."""
        return tuple(s.name for s in self.symbols)

    def database_path(self) -> str:
        """The SQLite path (relative to the config file's folder), or the PostgreSQL URL."""
        return self.storage.sqlite_path(self.config_dir)

    def markets_cache_path(self) -> Path | None:
        """Folder of the venues' market lists (None: kept in memory only)."""
        configured = self.venues.markets_cache_dir
        if configured:
            path = Path(configured).expanduser()
            return path if path.is_absolute() else self.config_dir / path
        if self.storage.is_postgresql:
            return self.config_dir / "var" / "markets"
        database = self.database_path()
        return None if database == ":memory:" else Path(database).parent / "markets"


def telegram_token() -> str | None:
    """The bot token from ``TELEGRAM_BOT_TOKEN`` (never from a file, never logged)."""
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    return token or None


def telegram_api_url(settings: Settings) -> str:
    """The Bot API base URL: ``TELEGRAM_API_URL`` overrides the config."""
    return os.environ.get("TELEGRAM_API_URL", "").strip() or settings.telegram.api_url


_PLAIN_MESSAGES = {
    "extra_forbidden": "unknown key (not a setting; check the spelling against config.toml)",
    "missing": "missing; this key is required",
}


def _key_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as the TOML key a user edits: ``symbols[0].name``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _describe(err: ValidationError) -> str:
    """One line: the key, then what is expected (and, for plain type/range errors, what was got)."""
    first = err.errors()[0]
    key = _key_path(first["loc"])
    kind = first["type"]
    if kind == "value_error":
        return f"{key}: expected {first['msg'].removeprefix('Value error, ')}"
    if kind in _PLAIN_MESSAGES:
        return f"{key}: {_PLAIN_MESSAGES[kind]}"
    got = first.get("input")
    shown = f" (got {got!r})" if isinstance(got, str | int | float | bool) else ""
    return f"{key}: {first['msg']}{shown}"


def settings_from_dict(data: dict[str, Any], config_dir: Path = Path(".")) -> Settings:
    """Validate a parsed TOML document."""
    try:
        return Settings.model_validate({**data, "config_dir": config_dir})
    except ValidationError as e:
        raise ConfigError(f"config error in {_describe(e)}") from e


#: environment variables that override a config key (a database URL carries a password)
ENV_OVERRIDES = {"STORAGE_URL": ("storage", "url")}


def with_environment(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the keys the environment overrides (``STORAGE_URL`` → ``storage.url``)."""
    for variable, (section, key) in ENV_OVERRIDES.items():
        value = os.environ.get(variable, "").strip()
        if value:
            data = {**data, section: {**data.get(section, {}), key: value}}
    return data


def load_settings(path: Path | str | None = None) -> Settings:
    """Read and validate ``path`` (default: the bundled config.toml)."""
    p = Path(path) if path is not None else default_config_path()
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise ConfigError(f"cannot read config file {p}: {e.strerror or e}") from e
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p} is not valid TOML: {e}") from e
    try:
        # Relative paths in a file you pass resolve next to it; those of the bundled
        # defaults (which may sit inside an installed package) resolve in the working folder.
        base = p.resolve().parent if path is not None else Path.cwd()
        return settings_from_dict(with_environment(data), base)
    except ConfigError as e:
        raise ConfigError(f"{p}: {e}") from e.__cause__
