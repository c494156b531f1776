"""A clumsy user's session against the real bot and the validating fake Bot API.

The ``api`` fixture fails the test if the bot sent anything Telegram would reject
(bad HTML, over-long text); here every junk input must get its own polite reply.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from tests.e2e.bot_fixtures import GROUP, PRIVATE, api, bot_settings, demo_source, running_bot
from tests.fakes.fake_bot_api import FakeBotApi

__all__ = ["api"]

JUNK = [
    "x" * 100_000,
    "/price " + "Z" * 5000,
    "/ask " + "is btc <b>bullish</b> & why? " * 180,
    '/price <a href="http://x">y</a>',
    "/chart 💩",
    "/subscribe * * *",
    "/timezone " + "E" * 5000,
    "/unsubscribe " + "9" * 5000,
]


async def test_junk_in_a_private_chat_gets_valid_polite_replies(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), demo_source(settings)):
        for count, text in enumerate(JUNK, start=1):
            api.send_text(PRIVATE, text)
            await api.wait_sent(PRIVATE, count)
        api.send_text(GROUP, "is btc bullish?")
        api.send_text(GROUP, "/price@otherbot " + "Z" * 5000)
        api.send_text(GROUP, "/sol")
        await api.wait_sent(GROUP, 1)
    replies = [s.text for s in api.sent_to(PRIVATE)]
    assert len(replies) == len(JUNK)
    assert not any("went wrong" in r for r in replies)
    assert "I don't cover <b>ZZZZ" in replies[1] and "…</b>" in replies[1]
    assert "I don't cover <b>&lt;A</b>" in replies[3]
    assert replies[5].startswith("I can't read the schedule <b>* * *</b>")
    assert replies[7].startswith("This chat has no digest subscriptions")
    assert [s.text[:8] for s in api.sent_to(GROUP)] == ["<b>SOL $"]
