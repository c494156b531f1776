"""Cross rates, conversions, timeframe follow-ups and other languages, as a user sees them."""

from __future__ import annotations

import io

import pytest

from bot.analysis import analyse
from bot.commentary import formatting
from bot.config import Settings
from bot.console import run_console
from bot.market.demo import DemoSource
from bot.qa.cli import ask
from bot.qa.match import match_question
from bot.qa.pair_answer import digits_for


def _price(settings: Settings, symbol: str) -> tuple[float, float]:
    price = analyse(DemoSource(settings).snapshot_now(symbol), settings).price
    assert price is not None and price.change_24h_pct is not None
    return price.last, price.change_24h_pct


@pytest.mark.parametrize("question", ["ETH/BTC ratio?", "eth vs btc", "eth btc chart?",
                                      "how's eth doing against btc"])
async def test_a_cross_rate_comes_from_both_spot_prices_with_its_24h_change(
    settings: Settings, question: str
) -> None:
    (eth, eth_change), (btc, btc_change) = _price(settings, "ETH"), _price(settings, "BTC")
    result = await ask(settings, DemoSource(settings), question)
    rate = eth / btc
    change = ((1 + eth_change / 100) / (1 + btc_change / 100) - 1) * 100
    answer = result["answer"]
    assert result["intent"] == "cross"
    assert f"ETH/BTC is at {formatting.number(rate, digits=digits_for(rate))}" in answer
    assert formatting.pct(abs(change), signed=False) in answer
    assert "long" not in answer.lower()  # not the long/short ratio
    assert formatting.usd(eth) in answer and formatting.usd(btc) in answer


async def test_sol_in_btc_terms_is_the_sol_btc_rate(settings: Settings) -> None:
    sol, btc = _price(settings, "SOL")[0], _price(settings, "BTC")[0]
    answer = (await ask(settings, DemoSource(settings), "sol in btc terms"))["answer"]
    assert f"SOL/BTC is at {formatting.number(sol / btc, digits=digits_for(sol / btc))}" in answer


@pytest.mark.parametrize(
    ("question", "amount", "unit", "expected"),
    [
        ("0.5 btc in usd", 0.5, "BTC", lambda p: formatting.usd(0.5 * p["BTC"], like=1000)),
        ("1000 usdt to eth", 1000, "USDT",
         lambda p: f"{formatting.number(1000 / p['ETH'], digits=digits_for(1000 / p['ETH']))} ETH"),
        ("how much is 250$ in sol", 250, "USD",
         lambda p: f"{formatting.number(250 / p['SOL'], digits=digits_for(250 / p['SOL']))} SOL"),
        ("2 eth = ? btc", 2, "ETH",
         lambda p: formatting.number(2 * p["ETH"] / p["BTC"],
                                     digits=digits_for(2 * p["ETH"] / p["BTC"])) + " BTC"),
    ],
)
async def test_a_conversion_states_the_amount_the_price_used_and_its_time(
    settings: Settings, question: str, amount: float, unit: str, expected: object
) -> None:
    prices = {s: _price(settings, s)[0] for s in ("BTC", "ETH", "SOL")}
    result = await ask(settings, DemoSource(settings), question)
    answer = result["answer"]
    assert result["intent"] == "convert"
    assert callable(expected)
    assert f"is about {expected(prices)} at the current price" in answer
    assert "Price used: 1 " in answer or "Prices used: 1 " in answer
    assert "Spot prices as of 1 Mar 2026, 12:00 UTC" in answer
    if unit == "USDT":
        assert "USDT taken at $1" in answer


async def test_a_pair_with_an_unfollowed_coin_says_so(settings: Settings) -> None:
    answer = (await ask(settings, DemoSource(settings), "eth vs doge"))["answer"]
    assert "I don't follow DOGE" in answer


async def test_timeframe_follow_ups_read_the_last_question_on_that_chart(
    settings: Settings,
) -> None:
    out = io.StringIO()
    script = ["is btc trending?", "what about the weekly?", "and on the 4h?",
              "support for btc?", "4h?"]
    assert await run_console(settings, DemoSource(settings), script, out=out) == 0
    replies = out.getvalue().split("you> ")[1:]
    weekly, four_hour, _, levels = replies[1], replies[2], replies[3], replies[4]
    assert "I don't compute a weekly chart" in weekly and "On the daily chart" in weekly
    assert "On the four-hour chart" in four_hour and "weekly" not in four_hour
    assert "Levels aren't drawn per chart" in levels


@pytest.mark.parametrize(
    ("question", "intent", "symbol"),
    [
        ("¿cuánto vale btc?", "price", "BTC"),
        ("preço do eth", "price", "ETH"),
        ("сколько стоит биткоин", "price", "BTC"),
        ("btc ne kadar", "price", "BTC"),
        ("wie steht bitcoin", "price", "BTC"),
        ("eth düşer mi", "outlook", "ETH"),
        ("soporte de btc", "support", "BTC"),
        ("киты", "whales", None),
        ("balinalar ne yapıyor", "whales", None),
    ],
)
def test_common_questions_are_understood_in_five_more_languages(
    settings: Settings, question: str, intent: str, symbol: str | None
) -> None:
    match = match_question(question, settings)
    assert (match.intent, match.symbol) == (intent, symbol)
