"""A post stored before analyses were JSON (schema 5, pickled) still answers its buttons."""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.analysis import Analysis
from bot.app.codec import ANALYSIS_CODEC
from bot.commentary import render_answer
from bot.commentary.formatting import number
from bot.config import Settings
from bot.storage.migrations import latest_version
from tests.e2e.bot_fixtures import PRIVATE, api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.fake_bot_methods import Sent

__all__ = ["api"]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _old_database(tmp_path: Path) -> tuple[Path, list[Sent]]:
    """A copy of the schema-5 database (posts fresh, so not pruned) and its two posts."""
    db = tmp_path / "bot.sqlite3"
    shutil.copyfile(FIXTURES / "posts_v5_pickle.sqlite", db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE posts SET created_at = ?", (datetime.now(UTC).isoformat(),))
    sent = json.loads((FIXTURES / "posts_v5_pickle.json").read_text())
    return db, [Sent(**s) for s in sent]


def _stored(db: Path, post_id: int) -> Analysis:
    with sqlite3.connect(db) as conn:
        (text,) = conn.execute("SELECT analysis FROM posts WHERE id = ?", (post_id,)).fetchone()
    analysis = ANALYSIS_CODEC.decode(text)
    assert isinstance(analysis, Analysis)
    return analysis


async def test_done_when_a_pickled_post_still_answers_its_buttons_after_the_migration(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db, (btc_post, eth_post) = _old_database(tmp_path)
    api._message_ids[PRIVATE] = itertools.count(100)  # the old chat's messages came first
    label, question = next(b for b in btc_post.buttons if b[1].startswith("q:1:"))
    async with running_bot(api, bot_settings(settings, db), demo_source(settings)):
        query = api.tap_button(btc_post, question)
        tapped = (await api.wait_sent(PRIVATE, 1))[0]
        api.send_text(PRIVATE, "what's the bias?", reply_to=eth_post)
        answer = (await api.wait_sent(PRIVATE, 2))[1]
    btc, eth = _stored(db, 1), _stored(db, 2)
    assert "text" not in api.callback_answers[query]  # a live button, not a stale one
    assert tapped.text.startswith(f"<b>{label}</b>")
    assert render_answer(question.split(":")[2], btc, "html") in tapped.text
    assert eth.bias is not None and "score " + number(eth.bias.score, digits=2) in answer.text
    assert "From my post of 1 Mar 2026, 06:00 UTC" in answer.text
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT symbol, json_extract(analysis, '$.v') FROM posts "
                            "ORDER BY id").fetchall()
        version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    assert rows == [("BTC", 1), ("ETH", 1)]
    assert version == (latest_version(),)
