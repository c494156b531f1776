"""The conversation development set (tests/data/talk_blind.toml): parsed, run, scored.

Each message goes through the real PTB application in a private console chat (demo
market); the reply a user would see is sorted into a kind by what it shows.
"""

from __future__ import annotations

import io
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.app.codec import ANALYSIS_CODEC
from bot.config import Settings
from bot.console import CONSOLE_TOKEN, ConsoleChat, ConsolePrinter
from bot.market.demo import DemoSource
from bot.storage import Storage
from bot.telegram.app import build_application, start_up
from bot.telegram.recording import RecordingRequest

TALK_PATH = Path(__file__).resolve().parent.parent / "data" / "talk_blind.toml"
#: Reply heads that name a "can't do" kind (one line, then the nearest offer).
CANNOT_MARKERS = {
    "alert": "alerts", "news": "news", "portfolio": "portfolio",
    "far_future": "that far ahead", "index": "index", "subscribe": "/subscribe ",
}


@dataclass(frozen=True, slots=True)
class TalkCase:
    """One message as typed, with the kind of reply expected (and answers, for compound)."""

    text: str
    kind: str
    parts: int = 1


def load(batch: str) -> list[TalkCase]:
    """The cases of ``batch`` ("batch1" or "batch2")."""
    data = tomllib.loads(TALK_PATH.read_text(encoding="utf-8"))
    return [TalkCase(c["text"], c["kind"], c.get("parts", 1)) for c in data[batch]]


async def replies(settings: Settings, texts: list[str]) -> list[str]:
    """What the bot sends back to each of ``texts`` (each in a fresh private chat state)."""
    out: list[str] = []
    for text in texts:
        storage = await Storage.open(":memory:", codec=ANALYSIS_CODEC)
        request = RecordingRequest()
        app = build_application(settings, DemoSource(settings), storage, token=CONSOLE_TOKEN,
                                flavour="text", request=request)
        try:
            async with app:
                await start_up(app)
                printer = ConsolePrinter(io.StringIO(), Path(tempfile.gettempdir()))
                await ConsoleChat(app, printer).say(text)
        finally:
            await storage.close()
        out.append("\n".join(str(c.params.get("text", "")) for c in request.calls
                             if c.method == "sendMessage"))
    return out


def headed_parts(reply: str) -> int:
    """How many answers a compound reply holds (each headed by "💬 question")."""
    return sum(1 for line in reply.splitlines() if line.startswith("💬 "))


def observed_kind(reply: str) -> str:
    """The kind of reply a user sees."""
    text = reply.strip()
    lines = [line for line in text.splitlines() if line.strip()]
    lower = text.lower()
    if headed_parts(text) >= 2:
        return "compound"
    if "not sure what you" in lower:
        return "unknown"
    if "our read on" in lower and ("comparable" in lower or "no call" in lower):
        return "opinion"
    if len(lines) <= 2:
        if "/unsubscribe" in lower:
            return "stop"
        for kind, marker in CANNOT_MARKERS.items():
            if marker in lower:
                return kind
        if len(lines) == 1:
            return "smalltalk"
    return "answer"
