"""The container's health check: webhook mode asks the bot's /healthz; polling mode checks
that the container's main process is the bot."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from threading import Thread

import pytest

from bot.container_health import healthy


@pytest.fixture
def health_server() -> Iterator[tuple[int, list[int]]]:
    """A local /healthz answering with the status the test puts in ``status[0]``."""
    status = [200]

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status[0] if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Health)
    Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], status
    server.shutdown()


def test_webhook_mode_is_healthy_only_while_healthz_answers_200(
    health_server: tuple[int, list[int]]
) -> None:
    port, status = health_server
    env = {"BOT_MODE": "webhook", "WEBHOOK_PORT": str(port)}
    assert healthy(env)
    status[0] = 503  # the database does not answer
    assert not healthy(env)
    assert not healthy({"BOT_MODE": "webhook", "WEBHOOK_PORT": "1"})  # nothing listening


def test_polling_mode_is_healthy_while_the_main_process_is_the_bot(tmp_path: Path) -> None:
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(b"python\0-m\0bot\0run\0")
    assert healthy({"BOT_MODE": "polling"}, cmdline)
    cmdline.write_bytes(b"sh\0-c\0sleep 1\0")
    assert not healthy({}, cmdline)
    assert not healthy({}, tmp_path / "missing")
