"""The alerts table: persistence, deletion, and firing exactly once per arming."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage import Storage
from bot.storage.alerts import Firing, NewAlert

NOW = datetime(2026, 2, 4, 12, tzinfo=UTC)


def _alert(chat_id: int = 1, level: float = 80_000.0, rearm: float | None = None) -> NewAlert:
    return NewAlert(chat_id, None, "BTC", "above", level, None, rearm, False, NOW, None, 7)


async def test_alerts_survive_a_reopen_and_fire_once(database: str) -> None:
    db = database
    storage = await Storage.open(db)
    first = await storage.alerts.add(_alert())
    await storage.alerts.add(_alert(level=90_000))
    await storage.close()
    storage = await Storage.open(db)
    store = storage.alerts
    assert [a.level for a in await store.of_chat(1)] == [80_000, 90_000]
    firing = Firing(first, NOW + timedelta(minutes=5), 80_100.0)
    staged = await store.fire(1, None, [firing], "BTC crossed", NOW)
    again = await store.fire(1, None, [firing], "BTC crossed", NOW)
    assert staged is not None and staged.alert_ids == (first,) and again is None
    assert [m.id for m in await store.pending()] == [staged.id]
    fired = await store.get(first)
    assert fired is not None and (fired.status, fired.fires, fired.armed) == ("fired", 1, False)
    assert [a.level for a in await store.of_chat(1)] == [90_000]
    await store.settle(staged.id, NOW)
    assert await store.pending() == []
    assert await store.messages_since(1, NOW - timedelta(days=1)) == (1, NOW)
    await storage.close()


async def test_rearming_alerts_stay_active_and_deletes_are_per_chat(database: str) -> None:
    storage = await Storage.open(database)
    store = storage.alerts
    rearming = await store.add(_alert(rearm=1.0))
    other = await store.add(_alert(chat_id=2))
    assert await store.fire(1, None, [Firing(rearming, NOW, 80_500)], "x", NOW) is not None
    state = await store.get(rearming)
    assert state is not None and (state.status, state.armed) == ("active", False)
    await store.rearm([rearming], NOW)
    assert (await store.of_chat(1))[0].armed
    assert await store.remove(1, other) == 0
    assert await store.remove(1) == 1
    assert [a.id for a in await store.active()] == [other]
    assert await store.count_active() == 1
    assert (await store.by_update(2, 7)) is not None
    await storage.close()
