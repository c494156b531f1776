"""Read response bodies from the recorded Hyperliquid VCR cassettes (../shared/data)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_FOLD = re.compile(r"\n[ \t]*")


def _single_quoted(text: str, start: int) -> str:
    """The YAML single-quoted scalar starting after ``start`` (folded, ``''`` unescaped)."""
    out = []
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "'":
            if text[i + 1: i + 2] == "'":
                out.append("'")
                i += 2
                continue
            break
        out.append(ch)
        i += 1
    return _FOLD.sub(" ", "".join(out))


def cassette_bodies(path: Path) -> list[tuple[dict[str, Any], Any]]:
    """``(request body, response body)`` pairs of one cassette, both parsed as JSON."""
    text = path.read_text(encoding="utf-8")
    pairs = []
    for match in re.finditer(r"body: '", text):
        request = json.loads(_single_quoted(text, match.end()))
        answer = re.compile(r"string: '").search(text, match.end())
        if answer is None:
            break
        pairs.append((request, json.loads(_single_quoted(text, answer.end()))))
    return pairs
