"""Subscription commands through the real handlers (in-process): every input gets a reply."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app.codec import ANALYSIS_CODEC
from bot.config import Settings, load_settings
from bot.market.demo import DemoSource
from bot.storage import Storage
from bot.telegram.recording import Call
from tests.fakes.telegram_harness import ANONYMOUS_ADMIN, harness

GROUP = -100_555
WORDS = st.sampled_from([
    "btc", "ETH", "sol,btc", "doge", "daily", "weekdays", "every", "hourly", "08:00", "25:61",
    "4h", "5h", "30m", "*", "*/15", "1-5", "0", "8", "mon-fri", "all", "1", "#1", "99",
    "Europe/Berlin", "berlin", "UTC+2", "America/New_York", "x" * 40, "", "💥",
])
COMMANDS = st.sampled_from(["/subscribe", "/timezone", "/unsubscribe", "/subscriptions",
                            "/pause", "/resume"])


def _texts(calls: list[Call]) -> list[str]:
    return [c.params["text"] for c in calls if c.method == "sendMessage"]


def _run(coro: object) -> object:
    return asyncio.run(coro)  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(script=st.lists(st.tuples(COMMANDS, st.lists(WORDS, max_size=6)), min_size=1,
                       max_size=8))
def test_any_sequence_of_subscription_commands_gets_polite_replies(
    script: list[tuple[str, list[str]]]
) -> None:
    conf = load_settings()

    async def run() -> list[str]:
        replies: list[str] = []
        async with harness(conf, DemoSource(conf)) as h:
            for command, words in script:
                calls = await h.send(" ".join([command, *words]).strip())
                replies.extend(c.params["text"] for c in calls if c.method == "sendMessage")
        return replies

    replies = _run(run())
    assert isinstance(replies, list) and len(replies) == len(script)
    assert not any("Something went wrong" in r for r in replies)


async def test_member_in_a_group_is_refused_and_anonymous_admin_is_not(
    settings: Settings,
) -> None:
    storage = await Storage.open(":memory:", codec=ANALYSIS_CODEC)
    async with harness(settings, DemoSource(settings), storage) as h:
        [refused] = _texts(await h.send("/subscribe btc daily 08:00", chat_id=GROUP,
                                        user_id=77))
        [accepted] = _texts(await h.send("/subscribe btc daily 08:00", chat_id=GROUP,
                                  user_id=ANONYMOUS_ADMIN["id"],
                                  sender_chat={"id": GROUP, "type": "supergroup",
                                               "title": "Test"}))
        subs = await storage.subscriptions.of_chat(GROUP)
    await storage.close()
    assert "Only this group's administrators" in refused
    assert "Subscribed <b>#1</b>: BTC digests" in accepted
    assert [s.schedule for s in subs] == ["daily 08:00"]
