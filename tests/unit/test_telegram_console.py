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
    assert "you> /btc\nbot> BTC $99,400" in text
    assert "[🔄 Refresh]  [📈 Chart 4h]\n     [" in text  # each keyboard row on its own line
    assert "did you mean ETH?" in text
    assert "[chart: " in text and "BTC 4h" in text
    assert "<b>" not in text and "&amp;" not in text
