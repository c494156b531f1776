"""What the real Bot API rejects: HTML subset, lengths in UTF-16 units, callback data.

Each check returns ``None`` when Telegram would accept the value, else the
``description`` Telegram would answer with.
"""

from __future__ import annotations

import html
import re
from typing import Any

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}
_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*>"  # a tag
    r"|&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?"  # an entity
    r"|[<>&]"  # anything else that needed escaping
)
_NAMED = {"lt", "gt", "amp", "quot"}
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> tuple[str | None, str | None]:
    """(plain text, None) when ``text`` is valid Telegram HTML, else (None, error)."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        token = m.group(0)
        if m.group(2):
            closing, tag = m.group(1) == "/", m.group(2).lower()
            if tag not in _TAGS:
                return None, f"Can't parse entities: unsupported start tag \"{tag}\""
            if closing:
                if not stack or stack[-1] != tag:
                    return None, f"Can't parse entities: unmatched end tag \"{tag}\""
                stack.pop()
            else:
                attrs = m.group(3) or ""
                if tag == "a" and "href=" not in attrs:
                    return None, "Can't parse entities: a tag without href"
                stack.append(tag)
        elif m.group(4):
            entity = m.group(4)
            if not token.endswith(";"):
                return None, "Can't parse entities: entity without semicolon"
            if not entity.startswith("#") and entity not in _NAMED:
                return None, f"Can't parse entities: unsupported HTML entity \"&{entity};\""
            out.append(html.unescape(token))
        else:
            return None, f"Can't parse entities: unescaped \"{token}\" at byte offset {m.start()}"
    out.append(text[pos:])
    if stack:
        return None, f"Can't parse entities: can't find end tag for \"{stack[-1]}\""
    return "".join(out), None


def check_text(text: Any, parse_mode: Any, *, limit: int, field: str) -> str | None:
    """Validate a message text or caption."""
    if not isinstance(text, str):
        return f"{field} must be a string"
    plain = text
    if parse_mode is not None:
        if str(parse_mode).upper() != "HTML":
            return f"unexpected parse_mode {parse_mode!r} (the bot uses HTML)"
        parsed, error = parse_html(text)
        if error is not None:
            return error
        assert parsed is not None
        plain = parsed
    if field == "text" and not plain.strip():
        return "message text is empty"
    if utf16_len(plain) > limit:
        return f"{field} is too long" if field == "caption" else "message is too long"
    return None


def check_reply_markup(markup: Any) -> str | None:
    """Validate an inline keyboard (callback data 1–64 bytes, non-empty button texts)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        return "reply_markup must be an object"
    rows = markup.get("inline_keyboard")
    if rows is None:
        return None
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                return "text buttons are unallowed in the inline keyboard"
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                return "BUTTON_DATA_INVALID"
            if data is None and "url" not in button:
                return "can't find field \"callback_data\" or \"url\""
    return None


def check_commands(commands: Any) -> str | None:
    """Validate a setMyCommands list."""
    if not isinstance(commands, list) or len(commands) > 100:
        return "commands must be a list of at most 100 entries"
    for c in commands:
        if not _COMMAND.match(str(c.get("command", ""))):
            return "BOT_COMMAND_INVALID"
        if not 1 <= len(str(c.get("description", ""))) <= 256:
            return "BOT_COMMAND_DESCRIPTION_INVALID"
    return None
