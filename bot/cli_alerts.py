"""``python -m bot alerts --replay DIR --from ISO --to ISO --alert "btc below 72k" …``.

Replays price alerts on recorded data: the alerts are set at ``--from`` (each ``--alert`` is
what ``/alert`` takes), then the alert round runs every ``--every`` of replayed time until
``--to`` and every message a chat would have received is printed with its time. With
``--whales`` (the default) the chat also has ``/whalealerts on`` (``--whale-min`` USD) and the
whale watcher runs after each round over the folder's whale snapshots (the ranked top list).
The same desk, rounds and templates as the bot; an in-memory database; text output.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from bot.alerts.rules import parse_number
from bot.app.alert_round import AlertRound
from bot.app.alerts import AlertDesk
from bot.app.requests import Destination
from bot.app.service import MarketService
from bot.app.views import PostButtons
from bot.app.whale_round import FEED, WhaleWatcher
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


def _whale_min(text: str | None, default: float) -> float:
    """``--whale-min`` (``5m``, ``250k``, ``1000000``) or the configured default."""
    if text is None:
        return default
    value = 0.0 if text.strip() == "0" else parse_number(text)
    if value is None:
        raise BadArgumentError(f"--whale-min {text!r} is not an amount in USD", kind="amount",
                               value=text)
    return value


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
        clock = lambda: sender.now or start  # noqa: E731
        round_ = AlertRound(service, sender, clock)
        watcher = WhaleWatcher(service, sender, clock, round_.delivery)
        min_usd = _whale_min(args.whale_min, settings.whales.watch.default_min_usd)
        if args.whales:
            await service.storage.feeds.subscribe(CHAT.chat_id, None, FEED, min_usd, start)
        now = start
        whale_messages = whale_events = 0
        while now < end:
            now = min(now + every, end)
            sender.now = now
            service.source = replay.at_time(now)
            await round_.run()
            if args.whales:
                report = await watcher.run()
                whale_messages += report.messages
                whale_events += report.delivered
        print(render_template("alerts/replay_end.j2", "text", messages=sender.count,
                              start=start, end=end, whales=args.whales,
                              whale_messages=whale_messages, whale_events=whale_events,
                              whale_min=min_usd))
    finally:
        await storage.close()
    return 1 if failed else 0
