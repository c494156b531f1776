"""Alert use cases: reply codes, the per-chat cap, duplicates, redelivered updates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.app.alerts import AlertDesk
from bot.app.requests import Destination
from bot.config import Settings
from bot.market.demo import DemoSource
from tests.unit.alert_doubles import service_on

SET_AT = datetime(2026, 2, 28, 20, tzinfo=UTC)  # demo BTC $101,486
CHAT = Destination(3, "private")


async def test_cap_duplicates_and_redelivery(settings: Settings, tmp_path: Path) -> None:
    conf = settings.model_copy(update={"alerts": settings.alerts.model_copy(
        update={"max_per_chat": 2})})
    service = await service_on(conf, DemoSource(conf, SET_AT), tmp_path / "bot.sqlite3")
    desk = AlertDesk(service)
    first = await desk.create(CHAT, ["btc", "110k"], 1)
    again = await desk.create(CHAT, ["btc", "110k"], 1)  # the same update after a crash
    duplicate = await desk.create(CHAT, ["btc", "above", "110000"], 2)
    unknown = await desk.create(CHAT, ["btcc", "1"], 5)
    second = await desk.create(CHAT, ["eth", "below", "1k"], 3)
    capped = await desk.create(CHAT, ["sol", "5%"], 4)
    wrong_id = await desk.delete(CHAT.chat_id, "#99")
    listing = await desk.alerts(CHAT.chat_id)
    await service.storage.close()
    assert [r.what for r in (first, again, duplicate, second, capped)] == [
        "created", "created", "duplicate", "created", "too_many"]
    assert first.values["alert"].kind == "above" and first.values["alert"].inferred
    assert again.values["alert"].id == first.values["alert"].id
    assert unknown.what == "unknown_symbol" and unknown.values["suggestion"] == "BTC"
    assert wrong_id.what == "unknown_id" and wrong_id.values["ids"] == [1, 2]
    assert [a.symbol for a in listing.values["alerts"]] == ["BTC", "ETH"]


async def test_a_confirmation_states_the_expiry_the_user_asked_for(
        settings: Settings, tmp_path: Path) -> None:
    from bot.alerts.phrases import parse_phrase
    from bot.commentary.render import render_template

    service = await service_on(settings, DemoSource(settings, SET_AT), tmp_path / "bot.sqlite3")
    request = parse_phrase("set alert btc 90k for 24h")
    assert request is not None
    answer = await AlertDesk(service).preview(CHAT.chat_id, request)
    await service.storage.close()
    text = render_template("telegram/alerts.j2", "text", what=answer.what, **answer.values)
    button = render_template("telegram/alerts.j2", "text", what="confirm_button",
                             **answer.values)
    assert answer.what == "confirm"
    assert "trades at or below $90,000, for the next 24 hours?" in text
    assert button == "🔔 Alert me: BTC ≤ $90,000 (24 hours)"
