"""Keep the bot token out of every log line (httpx and PTB both log URLs containing it).

``install_redaction(token)`` wraps the log-record factory, so every record from
every logger is scrubbed before any handler or formatter sees it — message,
arguments and traceback alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

REDACTED = "[REDACTED]"
_secrets: set[str] = set()
_original_factory: Callable[..., logging.LogRecord] | None = None


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[REDACTED]``."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _scrub(record: logging.LogRecord) -> logging.LogRecord:
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it to logging's own reporting
        message = str(record.msg)
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    return record


def _factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _original_factory is not None
    return _scrub(_original_factory(*args, **kwargs))


def install_redaction(token: str) -> None:
    """Redact ``token`` (and its secret half) in every future log record."""
    global _original_factory
    if not token:
        return
    _secrets.add(token)
    _, _, secret = token.partition(":")
    if len(secret) >= 8:
        _secrets.add(secret)
    if _original_factory is None:
        _original_factory = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_factory)


class RedactingFilter(logging.Filter):
    """A handler filter doing the same, for handlers set up outside this process's factory."""

    def filter(self, record: logging.LogRecord) -> bool:
        _scrub(record)
        return True
