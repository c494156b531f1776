"""The fake Bot API rejects what Telegram rejects, so e2e tests can trust a clean run."""

from __future__ import annotations

import aiohttp
import pytest

from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.telegram_limits import SendLimits
from tests.fakes.telegram_rules import check_reply_markup, check_text, parse_html


@pytest.mark.parametrize(("html", "plain"), [
    ("<b>BTC</b> &lt; $100k &amp; falling", "BTC < $100k & falling"),
    ('<a href="https://x.y">link</a> <code>/btc</code>', "link /btc"),
    ("<blockquote><i>quiet</i></blockquote>", "quiet"),
])
def test_valid_html_parses_to_its_visible_text(html: str, plain: str) -> None:
    assert parse_html(html) == (plain, None)


@pytest.mark.parametrize("html", [
    "price < 100", "AT&T", "<b>open", "<b><i>crossed</b></i>", "<div>x</div>", "&nbsp;",
])
def test_invalid_html_is_rejected_like_telegram_does(html: str) -> None:
    text, error = parse_html(html)
    assert text is None and error is not None and "parse entities" in error


def test_length_counts_utf16_units_after_entities() -> None:
    assert check_text("😀" * 2048, None, limit=4096, field="text") is None
    assert check_text("😀" * 2049, None, limit=4096, field="text") == "message is too long"
    assert check_text("<b>" + "a" * 4096 + "</b>", "HTML", limit=4096, field="text") is None
    assert check_text("<b> </b>", "HTML", limit=4096, field="text") == "message text is empty"


def test_callback_data_over_64_bytes_is_rejected() -> None:
    ok = {"inline_keyboard": [[{"text": "R", "callback_data": "r:1:q"}]]}
    long = {"inline_keyboard": [[{"text": "R", "callback_data": "é" * 33}]]}
    assert check_reply_markup(ok) is None
    assert check_reply_markup(long) == "BUTTON_DATA_INVALID"


async def test_unknown_chat_and_bad_html_are_400_and_recorded() -> None:
    api = FakeBotApi()
    await api.start()
    try:
        url = f"{api.base_url}{api.token}/sendMessage"
        async with aiohttp.ClientSession() as http:
            missing = await http.post(url, data={"chat_id": "5", "text": "hi"})
            api.add_chat(5)
            broken = await http.post(url, data={"chat_id": "5", "text": "<b>x",
                                                "parse_mode": "HTML"})
            fine = await http.post(url, data={"chat_id": "5", "text": "<b>x</b>",
                                              "parse_mode": "HTML"})
            body = await broken.json()
    finally:
        await api.stop()
    assert (missing.status, broken.status, fine.status) == (400, 400, 200)
    assert body["description"].startswith("Bad Request: Can't parse entities")
    assert len(api.violations) == 2
    assert [s.text for s in api.sent] == ["<b>x</b>"]


def test_group_limit_answers_retry_after_and_recovers() -> None:
    now = [0.0]
    limits = SendLimits(per_second=30, per_group_per_minute=20, clock=lambda: now[0])
    results = []
    for _ in range(21):
        now[0] += 0.1
        results.append(limits.check(-100))
    assert results[:20] == [None] * 20
    assert results[20] is not None and results[20] >= 1
    now[0] += 61
    assert limits.check(-100) is None
