"""The whale watcher: events from stored state (a first sighting is a baseline, a restart
re-announces nothing), honest wording per source, thresholds, who hears what, pacing and a
chat that blocked the bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.alerts.whales import Thresholds, by_key, diff_positions, transfer_events
from bot.app.alerts import AlertDesk
from bot.app.whale_round import FEED, WhaleWatcher
from bot.config import Settings
from bot.errors import ChatBlockedError, ChatMovedError
from bot.market.demo import DemoSource
from bot.market.models import Deposit, MarketSnapshot, WhalePosition, WhaleTrader
from bot.market.whale_watch import WhaleSighting
from bot.storage.whales import WhaleHolding
from tests.unit.alert_doubles import RecordingSender, service_on

WHALE = "0x94d3735543ecb3d339064151118644501c933814"  # configured: "Whale 0x94d3"
OTHER = "0x" + "ab" * 20
T0 = datetime(2026, 2, 28, 20, tzinfo=UTC)
LIMITS = Thresholds(change_pct=10, min_notional_usd=1_000_000, deposit_usd=1_000_000)


def _held(coin: str, side: str, size: float, usd: float, address: str = WHALE) -> WhaleHolding:
    return WhaleHolding(address, coin, side, size, usd)


def test_direct_polls_say_opened_and_closed_the_top_list_says_entered_and_left() -> None:
    before = by_key([_held("BTC", "long", 10, 1e6), _held("ETH", "short", 100, 3e6),
                     _held("SOL", "long", 1000, 2e6), _held("XRP", "long", 1e6, 2e6)])
    after = by_key([_held("BTC", "long", 30, 3e6), _held("ETH", "long", 200, 6e6),
                    _held("SOL", "long", 1050, 2.1e6), _held("DOGE", "short", 1e7, 4e6)])
    kinds = {e.coin: e.kind for e in diff_positions(before, after, direct=True, since=T0,
                                                    at=T0, limits=LIMITS)}
    assert kinds == {"BTC": "increased", "ETH": "flipped", "DOGE": "opened", "XRP": "closed"}
    ranked = {e.coin: e.kind for e in diff_positions(before, after, direct=False, since=T0,
                                                     at=T0, limits=LIMITS)}
    assert ranked == {"BTC": "increased", "ETH": "flipped", "DOGE": "entered", "XRP": "left"}


def test_small_positions_and_small_transfers_are_not_events() -> None:
    before = by_key([_held("BTC", "long", 10, 400_000)])
    after = by_key([_held("BTC", "long", 5, 200_000), _held("ETH", "long", 1, 900_000)])
    assert diff_positions(before, after, direct=True, since=T0, at=T0, limits=LIMITS) == []
    moves = [Deposit(WHALE, T0 - timedelta(hours=1), 5e6), Deposit(WHALE, T0 + timedelta(
        minutes=1), 3e6), Deposit(WHALE, T0 + timedelta(minutes=2), -2e6),
             Deposit(WHALE, T0 + timedelta(minutes=3), 10_000)]
    assert [(e.kind, e.amount_usd) for e in transfer_events(moves, T0, limits=LIMITS)] == [
        ("deposit", 3e6), ("withdrawal", -2e6)]
    assert transfer_events(moves, None, limits=LIMITS) == []  # a first sighting: baseline


@dataclass
class WhaleSource:
    """The demo market for prices plus positions the test sets per address."""

    demo: DemoSource
    positions: dict[str, list[WhalePosition]] = field(default_factory=dict)
    deposits: list[Deposit] = field(default_factory=list)
    polled: list[tuple[str, ...]] = field(default_factory=list)
    clock: list[datetime] = field(default_factory=lambda: [T0])

    async def snapshot(self, symbol: str) -> MarketSnapshot:
        return await self.demo.snapshot(symbol)

    async def close(self) -> None:
        return None

    async def whale_sighting(self, addresses: list[tuple[str, str]]) -> WhaleSighting:
        self.polled.append(tuple(a for a, _ in addresses))
        traders = tuple(WhaleTrader(a, tuple(self.positions.get(a, ())), label or None)
                        for a, label in addresses)
        return WhaleSighting(self.clock[0], traders, tuple(self.deposits))


def _position(coin: str, side: str, size: float, usd: float, address: str = WHALE
              ) -> WhalePosition:
    return WhalePosition(address, coin, side, size, usd, leverage=20.0)  # type: ignore[arg-type]


async def test_first_sighting_is_a_baseline_and_a_restart_re_announces_nothing(
    settings: Settings, database: str
) -> None:
    db = database
    source = WhaleSource(DemoSource(settings, T0), {WHALE: [_position("BTC", "long", 50, 5e6)]})
    service = await service_on(settings, source, db)
    await service.storage.feeds.subscribe(-100, None, FEED, 1_000_000, T0)
    sender = RecordingSender()
    clock = source.clock
    watcher = WhaleWatcher(service, sender, lambda: clock[0])
    first = await watcher.run()
    assert (first.baselines, first.events, sender.sent) == (1, [], [])
    source.positions[WHALE] = [_position("BTC", "long", 50, 5e6),
                               _position("ETH", "short", 4000, 12e6)]
    source.deposits = [Deposit(WHALE, T0 + timedelta(minutes=1), 3e6)]
    clock[0] += timedelta(minutes=5)
    second = await watcher.run()
    assert [e.kind for e in second.events] == ["opened", "deposit"]
    [(chat, text)] = sender.sent
    assert chat == -100
    assert "Whale 0x94d3 opened a $12M ETH short at 20x — ETH trades at $" in text
    assert "in 24 hours." in text and "Whale 0x94d3 deposited $3M USDC on Hyperliquid." in text
    await service.storage.close()
    service = await service_on(settings, source, db)  # a restart on the same database
    clock[0] += timedelta(minutes=5)
    again = await WhaleWatcher(service, sender, lambda: clock[0]).run()
    assert (again.baselines, again.events, len(sender.sent)) == (0, [], 1)
    source.positions[WHALE] = [_position("BTC", "short", 60, 6e6)]
    clock[0] += timedelta(minutes=5)
    third = await WhaleWatcher(service, sender, lambda: clock[0]).run()
    assert {e.kind for e in third.events} == {"flipped", "closed"}
    assert "Whale 0x94d3 flipped BTC from long to a $6M BTC short at 20x" in sender.sent[-1][1]
    assert "Whale 0x94d3 closed a $12M ETH short at 20x" in sender.sent[-1][1]
    await service.storage.close()


async def test_an_address_a_chat_added_is_heard_there_only_and_sizes_filter_per_chat(
    settings: Settings, tmp_path: Path
) -> None:
    source = WhaleSource(DemoSource(settings, T0), {OTHER: [_position("BTC", "long", 10, 2e6,
                                                                      OTHER)]})
    service = await service_on(settings, source, tmp_path / "bot.sqlite3")
    feeds, whales = service.storage.feeds, service.storage.whales
    await whales.add_address(7, OTHER, "Desk whale", T0)
    for chat in (7, 8):
        await feeds.subscribe(chat, None, FEED, 1_000_000, T0)
    await feeds.subscribe(9, None, FEED, 50_000_000, T0)
    sender = RecordingSender()
    watcher = WhaleWatcher(service, sender, lambda: T0)
    await watcher.run()
    assert OTHER in source.polled[-1] and WHALE in source.polled[-1]
    source.positions[OTHER] = [_position("BTC", "long", 30, 6e6, OTHER)]
    source.positions[WHALE] = [_position("SOL", "long", 1e5, 20e6)]
    await watcher.run()
    heard = {chat: text for chat, text in sender.sent}
    assert set(heard) == {7, 8}
    assert "Desk whale added to its BTC long: size up 200%, now $6M" in heard[7]
    assert "Desk whale" not in heard[8] and "Whale 0x94d3 opened a $20M SOL long" in heard[8]
    await whales.remove_address(7, OTHER)
    await watcher.run()
    assert OTHER not in source.polled[-1]
    assert await whales.seen("tracked") == {WHALE: T0}  # watched again: a new baseline
    await service.storage.close()


async def test_cooldown_holds_a_chat_and_a_chat_that_blocked_the_bot_is_paused(
    settings: Settings, tmp_path: Path
) -> None:
    source = WhaleSource(DemoSource(settings, T0), {WHALE: []})
    service = await service_on(settings, source, tmp_path / "bot.sqlite3")
    await service.storage.feeds.subscribe(5, None, FEED, 0, T0)
    sender = RecordingSender()
    clock = source.clock
    watcher = WhaleWatcher(service, sender, lambda: clock[0])
    await watcher.run()
    for step, coin in enumerate(("BTC", "ETH", "SOL"), start=1):
        source.positions[WHALE] = [*source.positions[WHALE], _position(coin, "long", 1, 2e6)]
        clock[0] = T0 + timedelta(seconds=20 * step)  # inside the 60 s cooldown after step 1
        await watcher.run()
    assert len(sender.sent) == 1 and "BTC" in sender.sent[0][1]
    assert watcher.last_report is not None and watcher.last_report.held == 1
    source.positions[WHALE] = []
    clock[0] += timedelta(minutes=5)
    sender.fail_next = ChatBlockedError("Forbidden: bot was blocked by the user")
    report = await watcher.run()
    assert report.failed == 1
    assert await service.storage.feeds.paused(5) == "Forbidden: bot was blocked by the user"
    assert await service.storage.feeds.subscribers(FEED) == []
    back = await AlertDesk(service).alerts(5)  # the chat talks to the bot again
    assert back.values["paused"] == "Forbidden: bot was blocked by the user"
    assert "so its alerts and feeds were paused; they are back on now." in service.text(
        "telegram/alerts.j2", what=back.what, **back.values)
    assert [s.chat_id for s in await service.storage.feeds.subscribers(FEED)] == [5]
    await service.storage.close()


async def test_whale_feeds_and_watched_addresses_follow_a_chat_that_moved(
    settings: Settings, tmp_path: Path
) -> None:
    source = WhaleSource(DemoSource(settings, T0), {OTHER: []})
    service = await service_on(settings, source, tmp_path / "bot.sqlite3")
    await service.storage.feeds.subscribe(-5, None, FEED, 0, T0)
    await service.storage.whales.add_address(-5, OTHER, None, T0)
    sender = RecordingSender()
    watcher = WhaleWatcher(service, sender, lambda: source.clock[0])
    await watcher.run()
    source.positions[OTHER] = [_position("ETH", "long", 1000, 3e6, OTHER)]
    source.clock[0] += timedelta(minutes=5)
    sender.fail_next = ChatMovedError("group upgraded", -1005)
    report = await watcher.run()
    assert report.messages == 1
    [(chat, text)] = sender.sent
    assert chat == -1005 and "Whale 0xabab…abab opened a $3M ETH long at 20x" in text
    assert [s.chat_id for s in await service.storage.feeds.subscribers(FEED)] == [-1005]
    assert [w.address for w in await service.storage.whales.addresses_of(-1005)] == [OTHER]
    await service.storage.close()

