"""The editor over 300+ replayed moments: nothing it can see is wrong in what is sent."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.analysis import analyse
from bot.commentary.posts import edited_article, edited_quick
from bot.market.replay import ReplaySource
from tests.unit.commentary_cases import settings

START = datetime(2026, 1, 28, tzinfo=UTC)
END = datetime(2026, 7, 25, tzinfo=UTC)
STEP = timedelta(hours=13)
log = logging.getLogger(__name__)


def _moments() -> list[tuple[str, datetime]]:
    """Every 13 hours over the 1h data, BTC and ETH in turn (so both see odd hours)."""
    out, at = [], START
    while at <= END:
        out.append(("BTC" if len(out) % 2 == 0 else "ETH", at))
        at += STEP
    return out


def test_three_hundred_replayed_moments_send_no_violation(shared_data: object) -> None:
    source = ReplaySource(shared_data, None, settings())  # type: ignore[arg-type]
    rejected: Counter[str] = Counter()
    drafts: Counter[int] = Counter()
    dropped: Counter[str] = Counter()
    sent_violations = []
    moments = _moments()
    for symbol, at in moments:
        analysis = analyse(source.at_time(at).snapshot_now(symbol), settings())
        article = edited_article(analysis, chat_id=0, flavour="text")
        quick = edited_quick(analysis, "text")
        for edited in (article, quick):
            rejected.update({f"{edited.edit.kind}:{v.rule}" for v in edited.edit.first_draft})
            drafts[edited.edit.drafts] += 1
            dropped.update(edited.edit.dropped)
            sent_violations.extend(edited.edit.sent)
    log.warning("editor over %d moments: first drafts rejected by rule %s; drafts %s; "
                "sections dropped %s", len(moments), dict(sorted(rejected.items())),
                dict(sorted(drafts.items())), dict(sorted(dropped.items())))

    assert len(moments) >= 300
    assert {s for s, _ in moments} == {"BTC", "ETH"}
    assert sent_violations == []
