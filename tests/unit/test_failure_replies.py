"""Failures become reply codes: temporary ones invite a retry, permanent absence does not."""

from __future__ import annotations

from bot.app.errors import failure_reply
from bot.commentary import render_template
from bot.errors import (
    MissingReason,
    NoDataError,
    UnknownSymbolError,
    VenueSymbolError,
    VenueTimeoutError,
)


def _reply(error: Exception) -> str:
    failure = failure_reply(error)
    return render_template("telegram/error.j2", "text", kind=failure.kind, command="price",
                           symbols=["BTC", "ETH", "SOL"], **failure.details)


def test_a_coin_the_venue_does_not_list_is_not_found_there_without_retry_advice() -> None:
    text = _reply(UnknownSymbolError("PEPE", None, "binance"))
    assert text.startswith("I don't find PEPE on Binance.")
    assert "try again" not in text.lower()
    close = _reply(UnknownSymbolError("DOGEE", "DOGE", "binance"))
    assert "did you mean DOGE?" in close


def test_replay_without_a_coins_files_names_the_folder() -> None:
    text = _reply(NoDataError("SOL", MissingReason.NOT_IN_REPLAY, "/data/replay"))
    assert "no replay data for SOL in /data/replay" in text
    assert "try again" not in text.lower()


def test_the_demo_names_the_coins_it_simulates() -> None:
    text = _reply(NoDataError("DOGE", MissingReason.NOT_SIMULATED, offered=("BTC", "ETH")))
    assert text.startswith("The offline demo market only simulates BTC and ETH, so I have no DOGE "
                           "data here; with live data DOGE works.")


def test_a_permanent_venue_refusal_is_not_told_as_an_outage() -> None:
    listed = _reply(VenueSymbolError("binance", "gone").about("XRP"))
    assert "I don't find XRP on Binance" in listed and "try again" not in listed.lower()
    down = _reply(VenueTimeoutError("binance", "slow").about("XRP"))
    assert "try again" in down.lower()
