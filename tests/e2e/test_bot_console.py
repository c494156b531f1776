"""``python -m bot chat``: scripted runs for the README and CI, and end of input."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def _chat(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_API_URL": "http://127.0.0.1:9/bot"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--demo", *args], input=stdin, text=True,
        capture_output=True, cwd=PROJECT_ROOT, env=env, timeout=120, check=False,
    )


def test_say_runs_a_scripted_conversation_offline_and_exits() -> None:
    done = _chat("--say", "/btc", "--say", "/whales")
    assert done.returncode == 0, done.stderr
    assert "you> /btc\nbot[1]> BTC $99,400" in done.stdout
    assert "you> /whales\nbot[2]> " in done.stdout and "whales" in done.stdout.lower()


def test_end_of_input_exits_cleanly() -> None:
    done = _chat(stdin="/price sol\n")
    assert done.returncode == 0, done.stderr
    assert "SOL $201.51" in done.stdout
    assert "Traceback" not in done.stderr
