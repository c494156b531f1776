"""Failures → reply codes, once for every entry point.

A handler lets the bot's own errors propagate; the transport's one error handler asks
:func:`failure_reply` what to tell the user, and renders the code with its template
(``templates/telegram/error.j2``). Expected failures (an unknown coin, a venue down,
unusable data) are answered and logged as warnings; anything else is a bug, logged with
its traceback and answered with the generic apology.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from bot.errors import DataError, UnknownSymbolError, VenueError

FailureKind = Literal["unknown_symbol", "venue_down", "data", "internal"]


@dataclass(frozen=True, slots=True)
class FailureReply:
    """What to answer: a reply code, the details its template needs, and whether the
    failure was expected (``False``: a bug)."""

    kind: FailureKind
    details: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    expected: bool = True


def failure_reply(error: BaseException | None) -> FailureReply:
    """The reply code for ``error`` (the subject is the symbol the failure is about)."""
    if isinstance(error, UnknownSymbolError):
        return FailureReply("unknown_symbol", MappingProxyType(
            {"symbol": error.symbol, "suggestion": error.suggestion}))
    if isinstance(error, VenueError):
        return FailureReply("venue_down", MappingProxyType({"symbol": error.subject}))
    if isinstance(error, DataError):
        return FailureReply("data", MappingProxyType({"symbol": error.subject}))
    return FailureReply("internal", expected=False)
