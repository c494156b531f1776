"""A digest round stops handing out deliveries once its process no longer leads."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app.digests import Fanout
from bot.app.service import MarketService
from bot.app.views import PostButtons
from bot.config import Settings
from bot.market.demo import DemoSource
from bot.scheduling.fanout_plan import DueSubscription
from bot.storage import Storage
from bot.storage.leader import SoleLeader

SLOT = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
CHATS = [500 + i for i in range(6)]


class LosesTheLease:
    """Telegram as the round sees it; the lease is lost after the second chat's digest."""

    def __init__(self, leadership: SoleLeader) -> None:
        self.leadership = leadership
        self.chats: list[int] = []

    async def send(self, chat_id: int, thread_id: int | None, text: str,
                   buttons: PostButtons | None = None) -> int | None:
        if chat_id not in self.chats:
            self.chats.append(chat_id)
        if len(self.chats) == 2:
            self.leadership.is_leader = False
        return len(self.chats)


async def test_a_round_stops_when_the_lease_is_lost_and_the_new_leader_finishes_it(
    settings: Settings,
) -> None:
    storage = await Storage.open(":memory:")
    try:
        service = MarketService(settings, DemoSource(settings), storage)
        sender = LosesTheLease(service.leadership)
        due = [DueSubscription(i, chat, ("BTC",), SLOT) for i, chat in enumerate(CHATS)]
        first = await Fanout(service, sender, workers=1).run(due)
        left_over = sorted(set(CHATS) - set(sender.chats))
        service.leadership.is_leader = True  # the next leader (same database) runs the slot
        second = await Fanout(service, sender, workers=1).run(due)
        counts = await storage.subscriptions.delivery_counts()
    finally:
        await storage.close()
    assert first.sent == 2 and left_over == CHATS[2:]  # nothing staged after the loss
    assert second.sent == len(CHATS) - 2
    assert sender.chats == CHATS  # every chat once, in order
    assert counts == {"sent": len(CHATS)}
