"""Failures → reply codes, once for every entry point.

A handler lets the bot's own errors propagate; the transport's one error handler asks
:func:`failure_reply` what to tell the user, and renders the code with its template
(``templates/telegram/error.j2``). Expected failures (an unknown coin, a venue down,
unusable data) are answered and logged as warnings; anything else is a bug, logged with
its traceback and answered with the generic apology. Temporary venue failures
(``venue_down``) invite a retry; permanent absence (``not_listed``: no venue lists the
coin, ``no_data``: the source holds nothing for it) is said once, politely and finally.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from bot.errors import DataError, NoDataError, UnknownSymbolError, VenueError

FailureKind = Literal["unknown_symbol", "not_listed", "venue_down", "no_data", "data",
                      "internal"]


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
        return FailureReply(
            "not_listed" if error.venue else "unknown_symbol", MappingProxyType(
                {"symbol": error.symbol, "suggestion": error.suggestion, "venue": error.venue}))
    if isinstance(error, VenueError) and not error.temporary:
        return FailureReply("no_data", MappingProxyType(
            {"symbol": error.subject, "reason": str(error.reason), "venue": error.venue,
             "where": "", "offered": ()}))
    if isinstance(error, VenueError):
        return FailureReply("venue_down", MappingProxyType({"symbol": error.subject}))
    if isinstance(error, NoDataError):
        return FailureReply("no_data", MappingProxyType(
            {"symbol": error.symbol, "reason": str(error.reason), "where": error.where,
             "offered": error.offered, "venue": None}))
    if isinstance(error, DataError):
        return FailureReply("data", MappingProxyType({"symbol": error.subject}))
    return FailureReply("internal", expected=False)
