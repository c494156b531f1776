"""The bundled table of well-known coins (``bot/data/coins.csv``): ticker and name."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.errors import ConfigError

COINS_CSV = Path(__file__).resolve().parent / "data" / "coins.csv"


@dataclass(frozen=True, slots=True)
class Coin:
    """A ticker (upper case) and the coin's common name."""

    ticker: str
    name: str


@cache
def coin_table(path: Path = COINS_CSV) -> tuple[Coin, ...]:
    """Every coin in ``path`` (about 200 top coins), in the table's order."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return tuple(Coin(row["ticker"].strip().upper(), row["name"].strip()) for row in rows)
    except (OSError, KeyError, csv.Error) as e:
        raise ConfigError(f"cannot read the coin table {path}: {e}") from e
