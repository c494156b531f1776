"""Fan-out planning: each article rendered once, each chat served once per slot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.scheduling.fanout_plan import DueSubscription, RenderKey, plan_fanout

SLOT = datetime(2026, 1, 15, 7, 0, tzinfo=UTC)
LATER = datetime(2026, 1, 15, 11, 0, tzinfo=UTC)


def test_many_chats_wanting_btc_share_one_rendering() -> None:
    due = [DueSubscription(i, chat_id=1000 + i, symbols=("BTC",), slot=SLOT) for i in range(50)]
    plan = plan_fanout(due)
    assert plan.renders == (RenderKey("BTC", SLOT),)
    assert len(plan.deliveries) == 50
    assert {d.render_keys for d in plan.deliveries} == {(RenderKey("BTC", SLOT),)}


def test_one_chat_with_two_subscriptions_gets_one_delivery_without_repeats() -> None:
    plan = plan_fanout([
        DueSubscription(1, chat_id=-100, symbols=("BTC", "ETH"), slot=SLOT),
        DueSubscription(2, chat_id=-100, symbols=("SOL", "BTC"), slot=SLOT),
    ])
    (delivery,) = plan.deliveries
    assert delivery.symbols == ("BTC", "ETH", "SOL")
    assert delivery.subscription_ids == (1, 2)
    assert plan.renders == tuple(RenderKey(s, SLOT) for s in ("BTC", "ETH", "SOL"))


def test_forum_topics_of_one_group_are_separate_destinations() -> None:
    plan = plan_fanout([
        DueSubscription(1, chat_id=-100, symbols=("BTC",), slot=SLOT, thread_id=7),
        DueSubscription(2, chat_id=-100, symbols=("BTC",), slot=SLOT),
    ])
    assert [(d.chat_id, d.thread_id, d.subscription_ids) for d in plan.deliveries] == [
        (-100, None, (2,)),
        (-100, 7, (1,)),
    ]
    assert plan.renders == (RenderKey("BTC", SLOT),)


def test_catch_up_slots_render_separately_and_deliver_in_slot_order() -> None:
    plan = plan_fanout([
        DueSubscription(1, chat_id=5, symbols=("ETH",), slot=LATER),
        DueSubscription(2, chat_id=9, symbols=("ETH",), slot=SLOT),
    ])
    assert plan.renders == (RenderKey("ETH", SLOT), RenderKey("ETH", LATER))
    assert [(d.chat_id, d.slot) for d in plan.deliveries] == [(9, SLOT), (5, LATER)]


def test_nothing_due_plans_nothing() -> None:
    plan = plan_fanout([])
    assert plan.renders == ()
    assert plan.deliveries == ()


def test_naive_slot_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_fanout([DueSubscription(1, 1, ("BTC",), datetime(2026, 1, 1))])


_due = st.builds(
    DueSubscription,
    subscription_id=st.integers(1, 30),
    chat_id=st.integers(-5, 5),
    symbols=st.lists(st.sampled_from(["BTC", "ETH", "SOL"]), min_size=1, max_size=3).map(tuple),
    slot=st.sampled_from([SLOT, LATER]),
    thread_id=st.none() | st.integers(1, 3),
)


@given(st.lists(_due, max_size=40))
def test_every_wanted_article_reaches_every_chat_exactly_once(due: list[DueSubscription]) -> None:
    plan = plan_fanout(due)
    wanted = {
        (d.chat_id, d.thread_id, d.slot, symbol) for d in due for symbol in d.symbols
    }
    sent = [
        (d.chat_id, d.thread_id, d.slot, key.symbol)
        for d in plan.deliveries
        for key in d.render_keys
    ]
    assert sorted(sent, key=repr) == sorted(wanted, key=repr)
    assert len(plan.renders) == len(set(plan.renders))
    assert set(plan.renders) == {RenderKey(s, d.slot) for d in due for s in d.symbols}
    settled = {(d.chat_id, d.thread_id, d.slot, i) for d in plan.deliveries
               for i in d.subscription_ids}
    assert settled == {(d.chat_id, d.thread_id, d.slot, d.subscription_id) for d in due}
