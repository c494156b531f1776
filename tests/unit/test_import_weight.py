"""Importing the template renderer and answering a question never loads matplotlib."""

from __future__ import annotations

import subprocess
import sys


def test_commentary_and_a_demo_answer_do_not_import_matplotlib() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "ask", "btc price", "--demo"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = [line for line in done.stderr.splitlines() if "import time:" in line]
    assert any("bot.commentary" in line for line in imported)
    assert not [line for line in imported if "matplotlib" in line.lower()]
