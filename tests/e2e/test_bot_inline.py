"""Inline mode end to end: a user types ``@bot …`` in some chat; the real Application polls
the fake Bot API, which validates ``answerInlineQuery`` by Telegram's rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Settings
from tests.e2e.bot_fixtures import PRIVATE, api, bot_settings, demo_source, say
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.schedule_bot import running_app

__all__ = ["api"]


async def _ask(api: FakeBotApi, query: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Type ``@bot query``; the results and the whole answer."""
    query_id = api.inline_query(query)
    await api.wait_for(lambda: query_id in api.inline_answers)
    return api.inline_results(query_id), api.inline_answers[query_id]


def _titles(results: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in results]


def _text(result: dict[str, Any]) -> str:
    return str(result["input_message_content"]["message_text"])


async def test_a_coin_typed_inline_offers_its_quick_take_levels_and_price(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db):
        results, answer = await _ask(api, "btc")
        direct = await say(api, PRIVATE, "/btc")
        levels, _ = await _ask(api, "eth levels")
    assert _titles(results) == ["BTC quick take", "BTC key levels", "BTC price"]
    assert _text(results[0]) == direct  # the same post a chat gets from /btc
    assert "$99,400" in _text(results[2])
    assert all(r["input_message_content"]["parse_mode"] == "HTML" for r in results)
    assert results[0]["description"].startswith("BTC") and "<" not in results[0]["description"]
    assert int(answer["cache_time"]) == 30 and not api.violations
    assert _titles(levels) == ["ETH key levels"]
    assert "support" in _text(levels[0]).lower()


async def test_an_empty_query_lists_every_configured_coin(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db):
        results, _ = await _ask(api, "")
    assert _titles(results) == [f"{s} quick take" for s in settings.symbol_names]
    assert len({r["id"] for r in results}) == len(results) and not api.violations


async def test_a_misspelt_or_unknown_coin_gets_did_you_mean_or_a_plain_card(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db):
        typo, _ = await _ask(api, "etherium levels")
        unknown, _ = await _ask(api, "zzqx")
        chart, _ = await _ask(api, "sol chart")
    assert _titles(typo) == ["Did you mean ETH key levels? (no coin called ETHERIUM)"]
    assert "support" in _text(typo[0]).lower()
    [card] = unknown
    assert card["title"] == "I don't know a coin called ZZQX"
    assert "levels, price, chart, whales" in card["description"]
    assert "zzqx" in _text(card).lower() and "BTC, ETH, SOL" in _text(card)
    # no chart picture has been sent anywhere yet: the quick take, saying how to get it
    [quick] = chart
    assert quick["type"] == "article" and quick["title"] == "SOL quick take"
    assert "No 4h chart of SOL to share yet" in quick["description"]
    assert not api.violations


async def test_a_chart_someone_opened_is_shared_inline_as_that_photo(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    async with running_app(api, bot_settings(settings, db), demo_source(settings), db):
        api.send_text(PRIVATE, "/chart btc 4h")
        [sent] = await api.wait_sent(PRIVATE, 1)
        results, _ = await _ask(api, "btc chart")
    [photo] = results
    uploaded = api.method_calls("sendPhoto")
    assert photo["type"] == "photo" and photo["title"] == "BTC chart 4h"
    assert photo["photo_file_id"] == sent.file_id
    assert photo["caption"] == sent.text and len(uploaded) == 1  # nothing uploaded again
    assert not api.violations
