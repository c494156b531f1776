"""How storage turns a post's analysis into text and back: a codec the app passes in.

Storage keeps text only (``posts.analysis`` holds JSON readable with ``sqlite3``); the
app's codec knows the analysis types. Without one, values are stored as plain JSON.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol

log = logging.getLogger(__name__)


class PostCodec(Protocol):
    """An analysis ↔ JSON text, and the upgrade of records written before JSON."""

    def encode(self, value: Any) -> str:
        """JSON text of ``value``; ``TypeError``/``ValueError`` when it cannot be stored."""
        ...

    def decode(self, text: str) -> Any:
        """The value of ``text``, or ``None`` when it can no longer be read (stale)."""
        ...

    def upgrade(self, blob: bytes) -> str | None:
        """JSON text of a record stored before JSON (a pickle), ``None`` when unreadable."""
        ...


class PlainJson:
    """JSON-ready values (dicts, lists, numbers, text) as they are; no upgrade of old rows."""

    def encode(self, value: Any) -> str:
        """``json.dumps`` without NaN."""
        return json.dumps(value, allow_nan=False)

    def decode(self, text: str) -> Any:
        """``json.loads``; ``None`` for text that is not JSON."""
        try:
            return json.loads(text)
        except ValueError:
            log.warning("stored analysis is not JSON; treating the post as stale")
            return None
