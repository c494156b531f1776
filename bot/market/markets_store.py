"""Each venue's market list kept on disk with its age, so a restart need not wait for it.

One JSON file per venue and market-type set (``okx-spot+swap.json``) holding the
ccxt market structures and when they were fetched. Reading a missing, unreadable
or malformed file yields ``None`` (the list is then fetched); a failed write is
logged and otherwise ignored: the cache is an optimisation, never a requirement.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.market.models import iso_from_utc, utc_from_iso

log = logging.getLogger(__name__)
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class SavedMarkets:
    """A venue's market list as fetched at ``fetched_at``."""

    markets: dict[str, Any]
    currencies: dict[str, Any]
    fetched_at: datetime

    def age_seconds(self, now: datetime) -> float:
        """Seconds since the list was fetched."""
        return max(0.0, (now - self.fetched_at).total_seconds())


class MarketsStore:
    """Market lists in ``folder`` (``None``: nothing is kept)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, venue: str, types: list[str]) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{venue}-{'+'.join(types) or 'all'}.json"

    def load(self, venue: str, types: list[str]) -> SavedMarkets | None:
        """The saved list of ``venue`` for ``types``, if a readable one exists."""
        path = self._path(venue, types)
        if path is None or not path.is_file():
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("version") != FORMAT_VERSION:
                return None
            markets = doc["markets"]
            if not isinstance(markets, dict) or not markets:
                return None
            currencies = doc.get("currencies") or {}
            if not isinstance(currencies, dict):
                return None
            return SavedMarkets(markets, currencies, utc_from_iso(doc["fetched_at"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            log.warning("%s: ignoring saved market list %s: %s", venue, path, e)
            return None

    def save(self, venue: str, types: list[str], markets: dict[str, Any],
             currencies: dict[str, Any], fetched_at: datetime | None = None) -> None:
        """Keep ``markets`` of ``venue`` (atomically replacing the previous file)."""
        path = self._path(venue, types)
        if path is None or not markets:
            return
        when = fetched_at or datetime.now(UTC)
        doc = {"version": FORMAT_VERSION, "venue": venue, "fetched_at": iso_from_utc(when),
               "markets": markets, "currencies": currencies}
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(doc, default=str), encoding="utf-8")
            os.replace(tmp, path)
        except (OSError, TypeError, ValueError) as e:
            log.warning("%s: market list not saved to %s: %s", venue, path, e)
            tmp.unlink(missing_ok=True)
