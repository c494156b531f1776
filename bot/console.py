"""The console chat: the Telegram handlers and templates behind a terminal prompt.

Each line typed becomes a synthetic private-chat ``Update`` fed through
``Application.process_update``; what the bot would send is printed in the
plain-text flavour. ``say`` runs a scripted conversation and returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application

from bot.app.codec import ANALYSIS_CODEC
from bot.commentary.render import render_template
from bot.config import Settings
from bot.market.source import MarketSource
from bot.storage import Storage
from bot.telegram.app import build_application, start_up
from bot.telegram.recording import BOT_USER, Call, RecordingRequest

CONSOLE_TOKEN = "1000001:console-offline"
CONSOLE_CHAT = 1
HISTORY_FILE = Path.home() / ".market_commentator_history"
PROMPT = "you> "


class ConsolePrinter:
    """Prints the bot's outgoing messages (and saves charts to files)."""

    def __init__(self, out: TextIO, chart_dir: Path) -> None:
        self._out = out
        self._chart_dir = chart_dir
        self._charts = itertools.count(1)

    def __call__(self, call: Call) -> None:
        """Show one Bot API call the way a user would see its result."""
        if call.method in ("sendMessage", "editMessageText"):
            self._print(str(call.params.get("text", "")), call.params.get("reply_markup"))
        elif call.method == "sendPhoto":
            path = self._chart_dir / f"chart-{next(self._charts)}.png"
            path.write_bytes(call.files.get("photo", b""))
            self._print(f"[chart: {path}]\n{call.params.get('caption', '')}", None)
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            self._print(str(call.params["text"]), None)

    def _print(self, text: str, markup: Any) -> None:
        rows = (markup or {}).get("inline_keyboard", [])
        lines = [text.strip()]
        # one line per keyboard row, as Telegram lays the buttons out
        lines.extend("  ".join(f"[{b['text']}]" for b in row) for row in rows if row)
        print("bot> " + "\n".join(lines).replace("\n", "\n     ") + "\n", file=self._out,
              flush=True)


class ConsoleChat:
    """Turns typed lines into updates for the real handlers."""

    def __init__(self, app: Application) -> None:
        self._app = app
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    async def say(self, text: str) -> None:
        """Process one line as a private message from the console user."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": CONSOLE_CHAT, "type": "private", "first_name": "You"},
            "from": {"id": CONSOLE_CHAT, "is_bot": False, "first_name": "You"},
            "text": text,
        }
        command = text.split()[0] if text.split() else ""
        if command.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        update = Update.de_json({"update_id": next(self._update_ids), "message": message},
                                self._app.bot)
        await self._app.process_update(update)


def _read_line_blocking() -> str:
    return input(PROMPT)


def _enable_history() -> Callable[[], None]:
    try:
        import readline
    except ImportError:  # Windows without pyreadline
        return lambda: None
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    return lambda: _save_history(readline)


def _save_history(readline: Any) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(HISTORY_FILE)


async def _interactive(chat: ConsoleChat) -> None:
    save = _enable_history()
    try:
        while True:
            try:
                line = await asyncio.to_thread(_read_line_blocking)
            except (EOFError, KeyboardInterrupt):
                print(file=sys.stdout)
                return
            if line.strip():
                await chat.say(line.strip())
    finally:
        save()


async def run_console(settings: Settings, source: MarketSource, say: list[str] | None,
                      *, out: TextIO | None = None) -> int:
    """Chat with the bot in the terminal (``say``: scripted lines, then exit). Returns 0.

    The caller owns ``source`` (starts and closes it).
    """
    stream = out or sys.stdout
    storage = await Storage.open(":memory:", codec=ANALYSIS_CODEC)
    chart_dir = Path(tempfile.mkdtemp(prefix="commentator-charts-"))
    request = RecordingRequest(on_call=ConsolePrinter(stream, chart_dir))
    app = build_application(settings, source, storage, token=CONSOLE_TOKEN, flavour="text",
                            request=request)
    try:
        async with app:
            await start_up(app)
            chat = ConsoleChat(app)
            if say is not None:
                for line in say:
                    print(PROMPT + line, file=stream, flush=True)
                    await chat.say(line)
            else:
                intro = render_template("telegram/console_intro.j2", "text",
                                        username=BOT_USER["username"])
                print(intro, file=stream, flush=True)
                await _interactive(chat)
    finally:
        await storage.close()
    return 0
