"""A small, independent checker of Telegram's HTML parse mode, for tests.

Checks: only the supported tags (and their allowed attributes), correct nesting,
only the named entities Telegram knows, and the length Telegram counts (text after
entity parsing, in UTF-16 code units).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_TAG_ATTRS = {
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(),
    "s": set(), "strike": set(), "del": set(), "tg-spoiler": set(), "blockquote": {"expandable"},
    "a": {"href"}, "code": {"class"}, "pre": set(), "span": {"class"},
}
_NAMED_ENTITIES = {"lt", "gt", "amp", "quot"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAG_ATTRS:
            self.errors.append(f"unsupported tag <{tag}>")
        for name, _ in attrs:
            if name not in _TAG_ATTRS.get(tag, set()):
                self.errors.append(f"attribute {name!r} not allowed on <{tag}>")
        if tag == "a" and not dict(attrs).get("href"):
            self.errors.append("<a> without href")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.errors.append("<span> must be class tg-spoiler")
        if tag in self.stack and tag not in ("b", "i", "u", "s"):
            self.errors.append(f"<{tag}> nested in itself")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self.errors.append(f"</{tag}> without an opening tag")
        elif self.stack[-1] != tag:
            self.errors.append(f"</{tag}> while <{self.stack[-1]}> is open")
            self.stack.pop()
        else:
            self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in _NAMED_ENTITIES:
            self.errors.append(f"unsupported entity &{name};")


def telegram_length(markup: str) -> int:
    """Length Telegram counts for an HTML message: visible text in UTF-16 units."""
    visible = html.unescape(re.sub(r"<[^>]*>", "", markup))
    return len(visible.encode("utf-16-le")) // 2


def html_errors(markup: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Everything Telegram would reject in ``markup`` (empty list when valid)."""
    parser = _Parser()
    errors = parser.errors
    if re.search(r"&(?![a-zA-Z]+;|#\d+;|#x[0-9a-fA-F]+;)", markup):
        errors.append("bare '&'")
    if re.search(r"<(?![a-z/])", markup):
        errors.append("bare '<'")
    parser.feed(markup)
    parser.close()
    if parser.stack:
        errors.append(f"unclosed: {parser.stack}")
    length = telegram_length(markup)
    if length > limit:
        errors.append(f"{length} UTF-16 units > {limit}")
    if not markup.strip():
        errors.append("empty message")
    return errors


def text_errors(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Length and emptiness problems of a plain-text message."""
    errors = []
    length = len(text.encode("utf-16-le")) // 2
    if length > limit:
        errors.append(f"{length} UTF-16 units > {limit}")
    if not text.strip():
        errors.append("empty message")
    return errors
