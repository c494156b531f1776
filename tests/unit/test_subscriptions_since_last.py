"""The "since the last digest" section: which figures changed, and how it reads."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.commentary.render import render_template
from bot.scheduling.digest import DigestMemory, DigestMetrics, since_last

BEFORE = DigestMetrics(95_000.0, 30.0e9, 1.10, 0.0001, 0.2, "bullish")
AFTER = DigestMetrics(99_750.0, 33.0e9, 1.335, -0.00005, -0.3, "bearish")
SLOT = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def _render(previous: DigestMemory, current: DigestMetrics) -> str:
    section = since_last("BTC", previous, current)
    assert section is not None
    local = section.previous_slot.astimezone(ZoneInfo("Europe/Berlin"))
    return render_template("schedule/since_last.j2", "html", s=section, local_previous=local)


def test_first_digest_of_a_chat_has_no_since_last_section() -> None:
    assert since_last("BTC", None, AFTER) is None


def test_section_shows_price_oi_long_short_funding_and_bias_changes() -> None:
    text = _render(DigestMemory(1, "BTC", SLOT, "h", BEFORE), AFTER)
    assert text.splitlines() == [
        "<b>Since the last digest</b> <i>(25 Nov 08:00 CET)</i>",
        "• Price $95,000 → $99,750 (+5%)",
        "• Open interest $30B → $33B (+10%)",
        "• Long/short 1.10 → 1.335",
        "• Funding +0.0100% → −0.0050%",
        "• Bias bullish → bearish",
    ]


def test_figures_missing_on_either_side_are_left_out() -> None:
    before = DigestMetrics(95_000.0, None, 1.2, None, 0.1, "neutral")
    after = DigestMetrics(95_000.0, 31.0e9, None, 0.0001, 0.1, "neutral")
    text = _render(DigestMemory(1, "BTC", SLOT, "h", before), after)
    assert "Price $95,000 → $95,000 (0%)" in text
    assert "Open interest" not in text and "Long/short" not in text and "Funding" not in text
    assert "• Bias still neutral" in text
