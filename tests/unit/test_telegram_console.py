"""The console chat runs the Telegram handlers offline and prints plain text."""

from __future__ import annotations

import io

from bot.config import Settings
from bot.console import run_console
from bot.market.demo import DemoSource


async def test_scripted_conversation_prints_plain_text_replies(settings: Settings) -> None:
    out = io.StringIO()
    code = await run_console(settings, DemoSource(settings), ["/btc", "/price etherium", "/chart"],
                             out=out)
    text = out.getvalue()
    assert code == 0
    assert "you> /btc\nbot[1]> BTC $99,400" in text
    assert "[🔄 Refresh]  [📈 Chart 4h]\n     [" in text  # each keyboard row on its own line
    assert "did you mean ETH?" in text
    assert "[chart: " in text and "BTC 4h" in text
    assert "<b>" not in text and "&amp;" not in text


async def test_reply_to_a_numbered_post_and_tap_its_buttons(settings: Settings) -> None:
    out = io.StringIO()
    await run_console(settings, DemoSource(settings),
                      ["/btc", "reply 1: why bearish?", "tap 1 chart 4h", "tap 1 Refresh",
                       "tap 1 whales", "tap 7 Refresh", "tap 1 Chart 1w", "reply 1 no colon"],
                      out=out)
    turns = out.getvalue().split("you> ")[1:]
    assert turns[1].startswith("reply 1: why bearish?\nbot[2]> Our read on Bitcoin right now "
                               "is bearish")
    assert "bot[3]> [chart: " in turns[2] and "BTC 4h" in turns[2]
    assert "bot (toast)> No change since this post (as of 1 Mar 2026, 12:00 UTC)." in turns[3]
    assert "bot[4]> What are the whales doing with BTC?" in turns[4]
    assert "There is no bot[7] yet: my messages so far are bot[1] to bot[4]." in turns[5]
    assert 'bot[1] has no button "Chart 1w"; its buttons: 🔄 Refresh, 📈 Chart 4h,' in turns[6]
    assert 'Say "reply N: TEXT"' in turns[7]


async def test_a_long_script_is_paced_and_never_flood_limited(settings: Settings) -> None:
    out = io.StringIO()
    lines = ["/price btc", "/price eth", "/price sol"] * 6
    await run_console(settings, DemoSource(settings), lines, out=out)
    text = out.getvalue()
    assert "a lot of requests" not in text and "One moment" not in text
    assert f"bot[{len(lines)}]> SOL $201.51" in text
