"""Telegram message limits: UTF-16 lengths, HTML-subset checks, splitting at sections.

Telegram counts a message's length after parsing entities (tags removed, ``&amp;``
one character) in UTF-16 code units: at most 4096 for text and 1024 for captions.
Templates mark section boundaries with ``SECTION_BREAK``; long output is split there
first, then at paragraphs and lines, never inside a tag.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Literal

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
#: A last message shorter than this takes sections over from the one before it.
MIN_LAST_MESSAGE = 600
SECTION_BREAK = "\x1e"
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
     "blockquote", "tg-spoiler", "span"}
)
Flavour = Literal["html", "text"]

_TAG_RE = re.compile(r"<[^>]*>")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (what Telegram counts)."""
    return len(text.encode("utf-16-le")) // 2


def visible_text(markup: str) -> str:
    """The text Telegram shows for HTML ``markup``: tags dropped, entities decoded."""
    return html.unescape(_TAG_RE.sub("", markup))


def visible_len(message: str, flavour: Flavour) -> int:
    """Telegram's length of a message in the given flavour."""
    return utf16_len(visible_text(message) if flavour == "html" else message)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not in Telegram's HTML subset")
        if tag == "a" and not any(k == "href" and v for k, v in attrs):
            self.problems.append("<a> without href")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def html_problems(markup: str) -> list[str]:
    """Why ``markup`` would be rejected by Telegram's HTML parse mode (empty when fine)."""
    checker = _Checker()
    bare = re.sub(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", "", markup)
    if bare != markup:
        checker.problems.append("a bare '&' that is not an entity")
    checker.feed(markup)
    checker.close()
    if checker.stack:
        checker.problems.append(f"unclosed tags: {', '.join(checker.stack)}")
    return checker.problems


def _open_tags(markup: str) -> int:
    """Open minus closed tags in ``markup`` (0 when every tag it opens is closed)."""
    opened = len(re.findall(r"<[a-z][^>]*>", markup))
    return opened - len(re.findall(r"</[a-z-]+>", markup))


def _pieces(block: str, separators: tuple[str, ...]) -> list[str]:
    """Split ``block`` at the first separator that occurs in it, never inside a tag."""
    for sep in separators:
        if sep in block:
            parts = block.split(sep)
            raw = [p + sep for p in parts[:-1]] + [parts[-1]]
            merged: list[str] = []
            pending = ""
            for part in raw:
                pending += part
                if _open_tags(pending) == 0:
                    merged.append(pending)
                    pending = ""
            if pending:
                merged.append(pending)
            return merged
    return [block]


def _hard_split(line: str, limit: int, flavour: Flavour) -> list[str]:
    """Last resort for one over-long line: drop markup, cut at spaces."""
    plain = visible_text(line) if flavour == "html" else line
    out: list[str] = []
    current = ""
    for word in plain.split(" "):
        candidate = f"{current} {word}" if current else word
        if utf16_len(candidate) > limit and current:
            out.append(current)
            current = word
        else:
            current = candidate
    out.append(current)
    chunks = [c[: limit // 2] if utf16_len(c) > limit else c for c in out]
    return [html.escape(c, quote=False) for c in chunks] if flavour == "html" else chunks


def _units(block: str, limit: int, flavour: Flavour, level: int = 0) -> list[str]:
    """Break ``block`` into units each within ``limit``."""
    if visible_len(block, flavour) <= limit:
        return [block]
    separators = (("\n\n",), ("\n",))
    if level >= len(separators):
        return _hard_split(block, limit, flavour)
    parts = _pieces(block, separators[level])
    if len(parts) == 1:
        return _units(block, limit, flavour, level + 1)
    units: list[str] = []
    for part in parts:
        units.extend(_units(part, limit, flavour, level + 1))
    return units


def _pack(units: list[str], limit: int, flavour: Flavour) -> list[list[str]]:
    """Greedy packing of units into messages, then a rebalance so the last is not a stub."""
    packs: list[list[str]] = []
    for unit in units:
        if packs and visible_len("".join([*packs[-1], unit]).strip(), flavour) <= limit:
            packs[-1].append(unit)
        else:
            packs.append([unit])
    while len(packs) >= 2 and len(packs[-2]) > 1:
        last, previous = packs[-1], packs[-2]
        moved = [previous[-1], *last]
        if visible_len("".join(last).strip(), flavour) >= MIN_LAST_MESSAGE or (
                visible_len("".join(moved).strip(), flavour) > limit):
            break
        packs[-2], packs[-1] = previous[:-1], moved
    return packs


def split_message(text: str, flavour: Flavour, limit: int = MESSAGE_LIMIT) -> tuple[str, ...]:
    """Pack ``text`` (sections separated by ``SECTION_BREAK``) into messages ≤ ``limit``."""
    sections = [s for s in text.split(SECTION_BREAK) if s.strip()]
    units: list[str] = []
    for section in sections:
        units.extend(_units(section.strip("\n") + "\n\n", limit, flavour))
    packs = _pack(units, limit, flavour)
    return tuple(m for m in ("".join(p).strip() for p in packs) if m)


def join_plain(messages: Iterable[str]) -> str:
    """Messages as one block of text (for the console and JSON)."""
    return "\n\n".join(messages)


def fit_caption(text: str, flavour: Flavour) -> str:
    """The part of ``text`` that fits a photo caption (≤ 1024), cut at a section or line."""
    parts = split_message(text, flavour, CAPTION_LIMIT)
    return parts[0] if parts else ""
