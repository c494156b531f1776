"""The bot token never reaches a log line: messages, arguments and tracebacks."""

from __future__ import annotations

import logging

import pytest

from bot.telegram.redaction import REDACTED, RedactingFilter, install_redaction, redact

TOKEN = "987654321:AAH-secret-part-of-the-token-xyz"


def test_token_in_message_arguments_and_traceback_is_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_redaction(TOKEN)
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("httpx")
    log.info("HTTP Request: POST https://api.telegram.org/bot%s/getMe \"200 OK\"", TOKEN)
    try:
        raise ValueError(f"bad url https://api.telegram.org/bot{TOKEN}/sendMessage")
    except ValueError:
        logging.getLogger("telegram.ext").exception("network error")
    text = caplog.text
    assert TOKEN not in text
    assert "AAH-secret-part-of-the-token-xyz" not in text
    assert f"bot{REDACTED}/getMe" in text
    assert REDACTED in (caplog.records[-1].exc_text or "")


def test_secret_half_alone_is_redacted_too() -> None:
    install_redaction(TOKEN)
    assert redact("token tail AAH-secret-part-of-the-token-xyz") == f"token tail {REDACTED}"


def test_handler_filter_scrubs_records_made_elsewhere() -> None:
    install_redaction(TOKEN)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "url=%s", (TOKEN,), None)
    assert RedactingFilter().filter(record)
    assert record.getMessage() == f"url={REDACTED}"
