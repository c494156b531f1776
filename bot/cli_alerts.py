"""``python -m bot alerts --replay DIR --from ISO --to ISO --alert "btc below 72k" …``.

Replays price alerts on recorded data: the alerts are set at ``--from`` (each ``--alert`` is
what ``/alert`` takes), then the alert round runs every ``--every`` of replayed time until
``--to`` and every message a chat would have received is printed with its time. The same
desk, round and templates as the bot; an in-memory database; text output.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from bot.app.alert_round import AlertRound
from bot.app.alerts import AlertDesk
from bot.app.requests import Destination
from bot.app.service import MarketService
from bot.app.views import PostButtons
from bot.cli_args import parse_duration, parse_when
from bot.commentary.render import render_template
from bot.config import Settings
from bot.errors import BadArgumentError
from bot.market.replay import ReplaySource
from bot.storage import Storage

#: The replayed chat every alert belongs to.
CHAT = Destination(1, "private")


class PrintingSender:
    """Prints each message under the replayed time it would have been sent at."""

    def __init__(self) -> None:
        self.now: datetime | None = None
        self.count = 0

    async def send(self, chat_id: int, thread_id: int | None, text: str,
                   buttons: PostButtons | None = None) -> int | None:
        """Print one message."""
        self.count += 1
        stamp = self.now.isoformat() if self.now is not None else ""
        print(f"[{stamp}]\n{text}\n")
        return self.count


async def replay_alerts(settings: Settings, args: argparse.Namespace) -> int:
    """Set the alerts at ``--from``, run rounds until ``--to``; 0 when every alert was set."""
    start, end = parse_when(args.start), parse_when(args.end)
    if start is None or end is None or end <= start:
        raise BadArgumentError("--to must come after --from", kind="period")
    every = parse_duration(args.every)
    replay = ReplaySource(Path(args.replay), start, settings)
    storage = await Storage.open(":memory:")
    try:
        service = MarketService(settings, replay, storage, flavour="text")
        desk = AlertDesk(service)
        failed = 0
        for number, words in enumerate(args.alert, start=1):
            reply = await desk.create(CHAT, words.split(), number)
            failed += reply.what != "created"
            print(render_template("telegram/alerts.j2", "text", what=reply.what,
                                  **reply.values) + "\n")
        sender = PrintingSender()
        round_ = AlertRound(service, sender, lambda: sender.now or start)
        now = start
        while now < end:
            now = min(now + every, end)
            sender.now = now
            service.source = replay.at_time(now)
            await round_.run()
        print(render_template("alerts/replay_end.j2", "text", messages=sender.count,
                              start=start, end=end))
    finally:
        await storage.close()
    return 1 if failed else 0
