"""Alerts asked for in plain words, and the confirmation button's callback data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.alerts import AlertRequest
from bot.alerts.phrases import parse_phrase, parse_request_data, request_data


@pytest.mark.parametrize(("text", "request_"), [
    ("ping me if btc drops below 70k", AlertRequest("btc", "below", 70_000)),
    ("Alert me when ETH goes above 3,500!", AlertRequest("eth", "above", 3_500)),
    ("tell me when sol hits 200", AlertRequest("sol", "near", 200)),
    ("notify me if btc falls to 65000", AlertRequest("btc", "below", 65_000)),
    ("remind me when btc price is over 80k?", AlertRequest("btc", "above", 80_000)),
    ("ping me if btc moves 5%", AlertRequest("btc", "move", 5.0)),
    ("set alert btc 100k", AlertRequest("btc", "near", 100_000)),
    ("set an alert for eth at 2.5k", AlertRequest("eth", "near", 2_500)),
    ("set alert btc below 70k for 24h", AlertRequest("btc", "below", 70_000,
                                                     timedelta(hours=24))),
    # greetings and politeness around the request, an expiry in words
    ("hey bot, can u ping me when doge pumps past 0.2 pls", AlertRequest("doge", "above", 0.2)),
    ("ok just tell me if eth dumps under 2k thx", AlertRequest("eth", "below", 2_000)),
    ("warn us if sol breaks 300 within the next 2 days",
     AlertRequest("sol", "near", 300, timedelta(days=2))),
    ("text me when btc gets to 95k in 90 mins", AlertRequest("btc", "near", 95_000,
                                                             timedelta(minutes=90))),
    ("please set an alert on link at 25 for 1w pls", AlertRequest("link", "near", 25,
                                                                  timedelta(weeks=1))),
    # base-form verbs, regional fillers, expiries as people write them, a currency word
    ("oga abeg ping me once btc drop under 88k", AlertRequest("btc", "below", 88_000)),
    ("bhai notify me when sol cross 250 for the next 12 hrs",
     AlertRequest("sol", "near", 250, timedelta(hours=12))),
    ("set alert eth above 4.2k for next 3 days", AlertRequest("eth", "above", 4_200,
                                                              timedelta(days=3))),
    ("tell me if xrp hits 3 dollars today only", AlertRequest("xrp", "near", 3,
                                                              timedelta(hours=24))),
    ("alert me when sol dumps 8%", AlertRequest("sol", "move", 8.0)),
])
def test_plain_words_make_the_same_request_as_the_command(
        text: str, request_: AlertRequest) -> None:
    assert parse_phrase(text) == request_


@pytest.mark.parametrize("text", ["what is btc price", "why bearish?", "set alert btc lots",
                                  "tell me about btc", "ping me if btc drops below"])
def test_other_texts_are_not_alert_requests(text: str) -> None:
    assert parse_phrase(text) is None


@pytest.mark.parametrize("request_", [
    AlertRequest("btc", "below", 70_000), AlertRequest("shib", "above", 0.00001234),
    AlertRequest("eth", "move", 5.0, timedelta(days=90)),
    AlertRequest("abcdefghijkl", "near", 123_456_789.123),
])
def test_button_data_round_trips_within_64_bytes(request_: AlertRequest) -> None:
    data = request_data(request_)
    assert data is not None and len(data.encode()) <= 64
    assert parse_request_data(data) == request_
    assert parse_request_data("al:btc:x:1") is None and parse_request_data(None) is None


def test_polite_set_requests_are_alert_requests_too() -> None:
    assert parse_phrase("can you set a price alert for eth at 3000") == AlertRequest(
        "eth", "near", 3_000)


@pytest.mark.parametrize(("text", "request_"), [
    # everyday English and % moves
    ("let me know when link drops under 12", AlertRequest("link", "below", 12)),
    ("let me know if sol swings 6%", AlertRequest("sol", "move", 6.0)),
    ("hit me up when eth moves by 4%", AlertRequest("eth", "move", 4.0)),
    ("give me a heads up if btc changes 3%", AlertRequest("btc", "move", 3.0)),
    # Spanish, Portuguese, Russian, German, with their coin names
    ("avísame cuando solana supere 260", AlertRequest("sol", "above", 260)),
    ("avisame si el ethereum cae de 2500", AlertRequest("eth", "below", 2_500)),
    ("me avisa quando o btc chegar a 150k", AlertRequest("btc", "near", 150_000)),
    ("me avise se a sol ultrapassar 300", AlertRequest("sol", "above", 300)),
    ("напиши мне когда биткоин будет ниже 85000", AlertRequest("btc", "below", 85_000)),
    ("предупреди если эфир дойдет до 5000", AlertRequest("eth", "near", 5_000)),
    ("скажи когда солана будет 250", AlertRequest("sol", "near", 250)),
    ("sag mir wenn bitcoin über 130k steigt", AlertRequest("btc", "above", 130_000)),
    ("benachrichtige mich wenn eth unter 2000 fällt", AlertRequest("eth", "below", 2_000)),
])
def test_alerts_in_other_words_and_languages_make_the_command_s_request(
        text: str, request_: AlertRequest) -> None:
    assert parse_phrase(text) == request_
