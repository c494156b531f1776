"""Any coin the venues list, through the real PTB Application, the fake Bot API and the
real ccxt classes calling the fake exchange; absent data said once, without "try again"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from bot.config import Settings, load_settings
from bot.market.ccxt_source import CcxtSource
from bot.market.replay import ReplaySource
from tests.e2e.bot_fixtures import PRIVATE, api, bot_settings, running_bot
from tests.fakes.fake_bot_api import FakeBotApi
from tests.fakes.fake_bot_methods import Sent
from tests.fakes.fake_exchange import FakeExchange, loopback_guard, running_fake_exchange
from tests.fakes.replay_data import START, write_market

__all__ = ["api"]


@asynccontextmanager
async def live_bot(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[FakeExchange]:
    """The bot on the live source against the fake exchange, market lists loaded."""
    with loopback_guard() as outside:
        async with running_fake_exchange() as fx:
            conf: Settings = bot_settings(
                fx.settings(load_settings(), retries=0, backoff_seconds=0.0,
                            timeout_seconds=5.0),
                tmp_path / "db",
            )
            source = CcxtSource(conf)
            await source.start()
            await source.markets_ready(10)
            try:
                async with running_bot(api, conf, source):
                    yield fx
            finally:
                await source.close()
    assert outside == []
    assert fx.errors == []


async def ask(api: FakeBotApi, text: str, timeout: float = 30) -> Sent:
    """Send ``text`` in the private chat; the bot's next message."""
    before = len(api.sent_to(PRIVATE))
    api.send_text(PRIVATE, text)
    return (await api.wait_sent(PRIVATE, before + 1, timeout=timeout))[before]


async def test_an_unconfigured_coin_the_venue_lists_works_as_command_and_question(
    api: FakeBotApi, tmp_path: Path
) -> None:
    async with live_bot(api, tmp_path):
        post = await ask(api, "/doge")
        answer = await ask(api, "doge price")
        price = await ask(api, "/price xrp")
        subscribed = await ask(api, "/subscribe doge daily 08:00")
    assert "DOGE" in post.text and "$0.1234" in post.text
    assert "went wrong" not in post.text and "cover" not in post.text
    assert "$0.1234" in answer.text
    assert "<b>XRP</b> $1.92" in price.text
    assert "DOGE" in subscribed.text and "find" not in subscribed.text


async def test_price_of_several_coins_is_one_message_with_a_line_each(
    api: FakeBotApi, tmp_path: Path
) -> None:
    async with live_bot(api, tmp_path):
        three = await ask(api, "/price btc eth sol")
        many = await ask(api, "/price btc eth sol doge xrp pepe ada")
    lines = [line for line in three.text.splitlines() if line.startswith("<b>")]
    assert [line.split("</b>")[0] for line in lines] == ["<b>BTC", "<b>ETH", "<b>SOL"]
    assert "$62,910" in three.text and "$1,846" in three.text and "$81.40" in three.text
    assert "<b>DOGE</b> $0.1234" in many.text and "<b>XRP</b> $1.92" in many.text
    assert "up to 5 coins" in many.text and "PEPE, ADA were left out" in many.text


async def test_mistyped_commands_and_unlisted_coins_get_a_suggestion_and_no_retry_advice(
    api: FakeBotApi, tmp_path: Path
) -> None:
    async with live_bot(api, tmp_path):
        bct = await ask(api, "/bct")
        etherium = await ask(api, "/etherium")
        prise = await ask(api, "/prise btc")
        pepe = await ask(api, "/price pepe")
        pepe_command = await ask(api, "/pepe")
    assert "did you mean <code>/btc</code>?" in bct.text
    assert "did you mean <code>/eth</code>?" in etherium.text
    assert "did you mean <code>/price</code>?" in prise.text
    assert "I don't find <b>PEPE</b> on Binance" in pepe.text
    assert "try again" not in pepe.text.lower()
    assert "I don't find <b>PEPE</b> on Binance" in pepe_command.text
    assert "try again" not in pepe_command.text.lower()


async def test_replay_without_a_coins_files_says_so_and_not_to_try_again(
    api: FakeBotApi, settings: Settings, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    write_market(data)  # BTC only
    source = ReplaySource(data, START + timedelta(days=15), settings)
    async with running_bot(api, bot_settings(settings, tmp_path / "db"), source):
        reply = await ask(api, "/sol")
    assert f"no replay data for <b>SOL</b> in <code>{data}</code>" in reply.text
    assert "try again" not in reply.text.lower()
