"""``python -m bot.container_health``: the container's health check (exit 0 healthy, 1 not).

In webhook mode (``BOT_MODE=webhook``) the bot's own ``GET /healthz`` must answer 200 (it
checks the database and names the scheduler leader). In polling mode there is no port:
the container is healthy while its main process is the bot (Docker restarts it when it
exits). Standard library only, so the check stays cheap.
"""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path


def healthy(environ: dict[str, str] | None = None, proc: Path = Path("/proc/1/cmdline")) -> bool:
    """Whether the bot in this container is up (see the module docstring)."""
    env = dict(os.environ) if environ is None else environ
    if env.get("BOT_MODE", "polling") == "webhook":
        url = f"http://127.0.0.1:{env.get('WEBHOOK_PORT', '8443')}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=4) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False
    try:
        command = proc.read_bytes().split(b"\0")
    except OSError:
        return False
    return b"bot" in command and b"run" in command


if __name__ == "__main__":
    sys.exit(0 if healthy() else 1)
