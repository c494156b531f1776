"""Whale positioning in one coin: totals, largest positions and changes between observations.

Opened/closed/increased/reduced/flipped are decided from each trader's *own* position
list, for traders present in both observations. A position entering or leaving the
ranked top-N list is reported as a ranking move, never as opened or closed.
"""

from __future__ import annotations

from bot.analysis.model import (
    ChangeKind,
    PositionChange,
    RankMove,
    WhaleAnalysis,
    WhalePositionView,
)
from bot.market.models import WhaleBook, WhalePosition, WhaleTrader

#: How many of the largest positions are listed.
LARGEST_COUNT = 5
#: A size change smaller than this fraction of the previous size is not reported.
SIZE_CHANGE_MIN_FRACTION = 0.05


def _view(p: WhalePosition, label: str | None) -> WhalePositionView:
    return WhalePositionView(
        address=p.address, label=p.label or label, side=p.side, size=p.size,
        notional_usd=p.notional_usd, entry_price=p.entry_price, leverage=p.leverage,
        liquidation_price=p.liquidation_price, unrealized_pnl=p.unrealized_pnl,
    )


def coin_position(trader: WhaleTrader, coin: str) -> WhalePosition | None:
    """The trader's position in ``coin`` (the largest, should a list hold several)."""
    held = [p for p in trader.positions if p.coin.upper() == coin.upper()]
    return max(held, key=lambda p: p.notional_usd, default=None)


def _price(p: WhalePosition) -> float:
    return p.notional_usd / p.size if p.size > 0 else 0.0


def position_change(trader: WhaleTrader, before: WhalePosition | None,
                    now: WhalePosition | None) -> PositionChange | None:
    """What happened to one trader's position between two of its own lists."""
    label = trader.label
    if before is None and now is None:
        return None
    if before is None and now is not None:
        return PositionChange(trader.address, label, "opened", now.side, now.notional_usd,
                              None, 0.0, now.notional_usd)
    if now is None and before is not None:
        return PositionChange(trader.address, label, "closed", before.side, 0.0,
                              before.side, before.notional_usd, -before.notional_usd)
    assert before is not None and now is not None
    if now.side != before.side:
        return PositionChange(trader.address, label, "flipped", now.side, now.notional_usd,
                              before.side, before.notional_usd, now.notional_usd)
    if before.size <= 0 or abs(now.size - before.size) / before.size < SIZE_CHANGE_MIN_FRACTION:
        return None
    kind: ChangeKind = "increased" if now.size > before.size else "reduced"
    delta = (now.size - before.size) * (_price(now) or _price(before))
    return PositionChange(trader.address, label, kind, now.side, now.notional_usd,
                          before.side, before.notional_usd, delta)


def position_changes(book: WhaleBook, previous: WhaleBook, coin: str) -> tuple[PositionChange, ...]:
    """Changes for traders present in both books, largest USD move first."""
    before = {t.address: t for t in previous.traders}
    out = []
    for trader in book.traders:
        old = before.get(trader.address)
        if old is None:
            continue
        change = position_change(trader, coin_position(old, coin), coin_position(trader, coin))
        if change is not None:
            out.append(change)
    return tuple(sorted(out, key=lambda c: abs(c.delta_usd), reverse=True))


def rank_moves(book: WhaleBook, previous: WhaleBook, coin: str) -> tuple[RankMove, ...]:
    """Positions that entered or left the ranked list, checked against the trader's own list."""
    def ranked(b: WhaleBook) -> dict[str, WhalePosition]:
        return {p.address: p for p in b.ranked_positions if p.coin.upper() == coin.upper()}

    now, before = ranked(book), ranked(previous)
    traders = {t.address: t for t in book.traders}
    out: list[RankMove] = []
    for address, p in now.items():
        if address not in before:
            out.append(RankMove(address, p.label, "entered_ranking", p.side, p.notional_usd, True))
    for address, p in before.items():
        if address not in now:
            trader = traders.get(address)
            still = None if trader is None else coin_position(trader, coin) is not None
            out.append(RankMove(address, p.label, "left_ranking", p.side, p.notional_usd, still))
    return tuple(sorted(out, key=lambda m: m.notional_usd, reverse=True))


def analyse_whales(book: WhaleBook | None, coin: str) -> WhaleAnalysis | None:
    """Whale totals and changes in ``coin``; None when there is no whale book."""
    if book is None:
        return None
    held: list[WhalePositionView] = []
    for trader in book.traders:
        p = coin_position(trader, coin)
        if p is not None:
            held.append(_view(p, trader.label))
    if not book.traders:
        held = [_view(p, p.label) for p in book.ranked_positions if p.coin.upper() == coin.upper()]
    longs = [p for p in held if p.side == "long"]
    shorts = [p for p in held if p.side == "short"]
    long_usd = sum(p.notional_usd for p in longs)
    short_usd = sum(p.notional_usd for p in shorts)
    prev = book.previous
    return WhaleAnalysis(
        coin=coin,
        as_of=book.as_of,
        source=book.source,
        addresses_covered=len(book.traders) or len({p.address for p in held}),
        addresses_with_position=len({p.address for p in held}),
        long_notional_usd=long_usd,
        short_notional_usd=short_usd,
        net_notional_usd=long_usd - short_usd,
        long_count=len(longs),
        short_count=len(shorts),
        largest=tuple(sorted(held, key=lambda p: p.notional_usd, reverse=True)[:LARGEST_COUNT]),
        previous_as_of=None if prev is None else prev.as_of,
        changes=() if prev is None else position_changes(book, prev, coin),
        rank_moves=() if prev is None else rank_moves(book, prev, coin),
    )
