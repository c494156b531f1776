"""The console chat: the Telegram handlers and templates behind a terminal prompt.

Each line typed becomes a synthetic private-chat ``Update`` fed through
``Application.process_update``; what the bot would send is printed in the plain-text
flavour, each message numbered (``bot[3]> …``). ``reply 3: why bearish?`` answers message 3
and ``tap 3 Chart 4h`` taps one of its buttons, so every conversation path runs offline.
``say`` runs a scripted conversation and returns: each line is sent only once the previous
one is answered, one request at a time, so the console's lone user is never flood-limited.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
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
from bot.telegram.flood import paced_guard
from bot.telegram.recording import BOT_USER, Call, RecordingRequest
from bot.telegram.services import BotService

CONSOLE_TOKEN = "1000001:console-offline"
CONSOLE_CHAT = 1
HISTORY_FILE = Path.home() / ".market_commentator_history"
PROMPT = "you> "
#: Continuation lines of a printed message are indented this far.
INDENT = "     "
_REPLY = re.compile(r"^reply\s+(?P<number>\d+)\s*:\s*(?P<text>.+)$", re.IGNORECASE)
_TAP = re.compile(r"^tap\s+(?P<number>\d+)\s+(?P<label>.+)$", re.IGNORECASE)
_USAGE = re.compile(r"^(reply|tap)\b", re.IGNORECASE)


def console_text(kind: str, **ctx: Any) -> str:
    """One of the console's own lines (``templates/telegram/console.j2``)."""
    return render_template("telegram/console.j2", "text", kind=kind, **ctx)


@dataclass
class Shown:
    """A bot message as the console user sees it (``bot[N]``)."""

    message_id: int
    text: str
    markup: dict[str, Any] | None = None
    photo: bool = False

    def buttons(self) -> list[dict[str, Any]]:
        """Its inline buttons, row by row."""
        return [b for row in (self.markup or {}).get("inline_keyboard", []) for b in row]


def _markup(value: Any) -> dict[str, Any] | None:
    markup = json.loads(value) if isinstance(value, str) else value
    return markup if isinstance(markup, dict) else None


class ConsolePrinter:
    """Prints the bot's outgoing messages, numbered (and saves charts to files)."""

    def __init__(self, out: TextIO, chart_dir: Path) -> None:
        self._out = out
        self._chart_dir = chart_dir
        self._charts = itertools.count(1)
        #: ``bot[N]`` is ``shown[N - 1]``
        self.shown: list[Shown] = []
        self._numbers: dict[int, int] = {}

    def __call__(self, call: Call) -> None:
        """Show one answered Bot API call the way a user would see its result."""
        p = call.params
        if not call.ok:
            return
        if call.method == "sendMessage" and call.message_id is not None:
            text = str(p.get("text", ""))
            self._new(Shown(call.message_id, text, _markup(p.get("reply_markup"))))
        elif call.method == "sendPhoto" and call.message_id is not None:
            path = self._chart_dir / f"chart-{next(self._charts)}.png"
            path.write_bytes(call.files.get("photo", b""))
            caption = f"[chart: {path}]\n{p.get('caption', '')}"
            self._new(Shown(call.message_id, caption, _markup(p.get("reply_markup")), photo=True))
        elif call.method == "editMessageText":
            number = self._numbers.get(int(p["message_id"]))
            if number is not None:
                shown = self.shown[number - 1]
                shown.text, shown.markup = str(p.get("text", "")), _markup(p.get("reply_markup"))
                self._print(console_text("edited", number=number), shown)
        elif call.method == "deleteMessage":
            number = self._numbers.get(int(p["message_id"]))
            if number is not None:
                print(console_text("deleted", number=number) + "\n", file=self._out, flush=True)
        elif call.method == "answerCallbackQuery" and p.get("text"):
            self._print(console_text("toast"), Shown(0, str(p["text"])))

    def find(self, number: int) -> Shown | None:
        """Message ``bot[number]``, or ``None`` when there is none."""
        return self.shown[number - 1] if 0 < number <= len(self.shown) else None

    def _new(self, shown: Shown) -> None:
        self.shown.append(shown)
        self._numbers[shown.message_id] = len(self.shown)
        self._print(console_text("sent", number=len(self.shown)), shown)

    def _print(self, prefix: str, shown: Shown) -> None:
        lines = [shown.text.strip()]
        # one line per keyboard row, as Telegram lays the buttons out
        rows = (shown.markup or {}).get("inline_keyboard", [])
        lines.extend("  ".join(f"[{b['text']}]" for b in row) for row in rows if row)
        print(prefix + " " + "\n".join(lines).replace("\n", "\n" + INDENT) + "\n",
              file=self._out, flush=True)

    def note(self, text: str) -> None:
        """A line of the console's own (a hint about the reply/tap syntax)."""
        print(text + "\n", file=self._out, flush=True)


def _plain(label: str) -> str:
    """A button label without its emoji, for matching what the user typed."""
    return " ".join(re.sub(r"[^\w\s?'’.,-]", " ", label).split()).casefold()


def find_button(shown: Shown, label: str) -> dict[str, Any] | None:
    """The button of ``shown`` whose label is ``label`` (emoji and case aside), else the
    first whose label contains it."""
    wanted = _plain(label)
    buttons = shown.buttons()
    exact = [b for b in buttons if _plain(b["text"]) == wanted]
    partial = [b for b in buttons if wanted and wanted in _plain(b["text"])]
    found = exact or partial
    return found[0] if found else None


class ConsoleChat:
    """Turns typed lines into updates for the real handlers: messages, replies, taps."""

    def __init__(self, app: Application, printer: ConsolePrinter) -> None:
        self._app = app
        self._printer = printer
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    async def say(self, text: str) -> None:
        """Process one line from the console user; return once the bot has answered it."""
        body = self._body(text)
        if body is None:
            return
        update = Update.de_json({"update_id": next(self._update_ids), **body}, self._app.bot)
        await self._app.process_update(update)

    def _body(self, text: str) -> dict[str, Any] | None:
        reply, tap = _REPLY.match(text), _TAP.match(text)
        if reply is None and tap is None:
            if _USAGE.match(text) and not text.startswith("/"):
                self._printer.note(console_text("usage"))
                return None
            return {"message": self._message(text)}
        match = reply or tap
        assert match is not None
        number = int(match["number"])
        shown = self._printer.find(number)
        if shown is None:
            self._printer.note(console_text("no_post", number=number,
                                            count=len(self._printer.shown)))
            return None
        if reply is not None:
            return {"message": self._message(reply["text"], reply_to=self._bot_message(shown))}
        button = find_button(shown, match["label"])
        if button is None or "callback_data" not in button:
            self._printer.note(console_text("no_button", number=number, label=match["label"],
                                            buttons=[b["text"] for b in shown.buttons()]))
            return None
        return {"callback_query": {
            "id": f"console-{next(self._update_ids)}", "chat_instance": str(CONSOLE_CHAT),
            "data": button["callback_data"], "from": _user(),
            "message": self._bot_message(shown),
        }}

    def _message(self, text: str, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": _chat(), "from": _user(), "text": text,
        }
        command = text.split()[0] if text.split() else ""
        if command.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    @staticmethod
    def _bot_message(shown: Shown) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": shown.message_id, "date": int(time.time()), "chat": _chat(),
            "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
        }
        if shown.photo:
            body["caption"] = shown.text
            body["photo"] = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
        else:
            body["text"] = shown.text
        if shown.markup:
            body["reply_markup"] = shown.markup
        return body


def _chat() -> dict[str, Any]:
    return {"id": CONSOLE_CHAT, "type": "private", "first_name": "You"}


def _user() -> dict[str, Any]:
    return {"id": CONSOLE_CHAT, "is_bot": False, "first_name": "You"}


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


@contextlib.asynccontextmanager
async def console_session(settings: Settings, source: MarketSource, out: TextIO
                          ) -> AsyncIterator[tuple[ConsoleChat, BotService]]:
    """A started console chat printing to ``out`` (and its service), closed on exit."""
    storage = await Storage.open(":memory:", codec=ANALYSIS_CODEC)
    chart_dir = Path(tempfile.mkdtemp(prefix="commentator-charts-"))
    printer = ConsolePrinter(out, chart_dir)
    request = RecordingRequest(on_call=printer)
    # one user, one request at a time (each line waits for its answer): no rate window
    service = BotService(settings, source, storage, flavour="text",
                         flood=paced_guard(settings.telegram.per_user_concurrency))
    app = build_application(settings, source, storage, token=CONSOLE_TOKEN, flavour="text",
                            request=request, service=service, rate_limited=False)
    try:
        async with app:
            await start_up(app)
            yield ConsoleChat(app, printer), service
    finally:
        await storage.close()


async def run_console(settings: Settings, source: MarketSource, say: list[str] | None,
                      *, out: TextIO | None = None) -> int:
    """Chat with the bot in the terminal (``say``: scripted lines, then exit). Returns 0.

    The caller owns ``source`` (starts and closes it).
    """
    stream = out or sys.stdout
    async with console_session(settings, source, stream) as (chat, _service):
        if say is not None:
            for line in say:
                print(PROMPT + line, file=stream, flush=True)
                await chat.say(line)
        else:
            print(console_text("intro", username=BOT_USER["username"]), file=stream,
                  flush=True)
            await _interactive(chat)
    return 0
