"""The bot as its own process (``python -m bot run --demo``) for crash and CLI drills.

A child process can be killed with SIGKILL, which drops every byte of in-memory state —
the only honest way to test what survives a crash.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT
from tests.fakes.fake_bot_api import FakeBotApi


def config_with_database(folder: Path, database: Path | str) -> Path:
    """A copy of the bundled config.toml in ``folder`` whose database is ``database`` (a
    SQLite path, or a ``postgresql://`` URL)."""
    url = database if str(database).startswith("postgresql://") else f"sqlite:///{database}"
    bundled = (PROJECT_ROOT / "config.toml").read_text(encoding="utf-8")
    text, count = re.subn(r'^url = "sqlite:///.*"$', f'url = "{url}"', bundled,
                          flags=re.MULTILINE)
    assert count == 1, "the bundled config's [storage] url line moved"
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def start_bot_process(api: FakeBotApi, config: Path, *extra: str,
                            stderr: int | None = asyncio.subprocess.PIPE
                            ) -> asyncio.subprocess.Process:
    """``python -m bot --config CONFIG run --demo [EXTRA…]`` talking to ``api`` (polling
    unless ``extra`` says ``--webhook``; stderr captured unless told otherwise)."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", "--demo", *extra,
        cwd=PROJECT_ROOT, env=env, stderr=stderr,
    )


async def kill_hard(child: asyncio.subprocess.Process) -> None:
    """SIGKILL: no shutdown code runs, nothing in memory survives."""
    child.kill()
    await child.wait()
