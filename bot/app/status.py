"""/status for operators: uptime, snapshot ages, venues and streams, storage and leader."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.market.coverage import coverage_of
from bot.market.health import VenueState
from bot.market.liquidations import StreamState
from bot.market.source import VenueReporting

if TYPE_CHECKING:
    from bot.app.service import MarketService


async def status_text(service: MarketService) -> str:
    """Uptime, snapshot ages, missing venues and stored counts, for operators."""
    now = datetime.now(UTC)
    rows = []
    for name in service.settings.symbol_names:
        snap = service._last_snapshot.get(name)
        rows.append({
            "symbol": name,
            "age_seconds": _age(now, snap.as_of) if snap else None,
            "missing": [m.venue for m in coverage_of(snap).missing_venues] if snap else [],
        })
    counts = await service.storage.counts()
    states = service.source.venue_states() if isinstance(service.source, VenueReporting) else ()
    return service.text(
        "telegram/status.j2",
        venues=[{"state": s, "ages": _ages(now, s)} for s in states],
        streams=[{"state": s, "ages": _stream_ages(now, s)}
                 for s in (service.stream_states() if service.stream_states else ())],
        spot_venue=service.settings.venues.spot,
        uptime_seconds=time.monotonic() - service.counters.started,
        source=type(service.source).__name__,
        updates=service.counters.updates,
        errors=service.counters.errors,
        posts=counts["posts"],
        messages=counts["post_messages"],
        alerts=await service.storage.alerts.count_active(),
        whales_watched=len({w.address for w in await service.storage.whales.watched()}
                           | {w.address for w in service.settings.whales.tracked}),
        whale_chats=await service.storage.feeds.count("whales"),
        symbols=rows,
        engine=service.storage.engine,
        leader=await service.leadership.leader_name(),
        this_process=service.leadership.name,
    )


def _age(now: datetime, when: datetime | None) -> float | None:
    return None if when is None else max(0.0, (now - when).total_seconds())


def _stream_ages(now: datetime, state: StreamState) -> dict[str, float | None]:
    """Seconds a liquidation stream has been in its state and since its last frame."""
    return {"since": _age(now, state.since), "message": _age(now, state.last_message)}


def _ages(now: datetime, state: VenueState) -> dict[str, float | None]:
    """Seconds since a venue's last success, last error and market-list fetch."""
    return {"success": _age(now, state.last_success), "error": _age(now, state.last_error_at),
            "markets": _age(now, state.markets_fetched_at)}
