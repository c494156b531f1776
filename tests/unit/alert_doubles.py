"""Doubles for alert round tests: a recording sender and a service over a given source."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.app.service import MarketService
from bot.app.views import PostButtons
from bot.config import Settings
from bot.market.source import MarketSource
from bot.storage import Storage


@dataclass
class RecordingSender:
    """Keeps every message; raises ``fail_next`` once when set."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    fail_next: Exception | None = None

    async def send(self, chat_id: int, thread_id: int | None, text: str,
                   buttons: PostButtons | None = None) -> int | None:
        """Record (or fail) one message."""
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        self.sent.append((chat_id, text))
        return len(self.sent)


async def service_on(settings: Settings, source: MarketSource, db: Path | str) -> MarketService:
    """A market service over ``source`` with a database in ``db`` (a path or a URL)."""
    return MarketService(settings, source, await Storage.open(db), flavour="text")
