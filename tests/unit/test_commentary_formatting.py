"""The Babel-backed filters print numbers the way the desk writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.commentary import formatting as f

MINUS = "\u2212"


@pytest.mark.parametrize(("value", "shown"), [
    (76017.25, "$76,017"), (2345.67, "$2,346"), (98.765, "$98.77"), (0.052345, "$0.05235"),
    (-1234.5, MINUS + "$1,235"),
])
def test_usd_prints_price_precision(value: float, shown: str) -> None:
    assert f.usd(value) == shown


def test_usd_signed_shows_plus_and_true_minus() -> None:
    assert f.usd(2062.4, signed=True) == "+$2,062"
    assert f.usd(-2062.4, signed=True) == MINUS + "$2,062"


@pytest.mark.parametrize(("value", "shown"), [
    (108e9, "$108B"), (50.9e9, "$50.9B"), (3e6, "$3M"), (5.2e6, "$5.2M"), (950.0, "$950"),
])
def test_usd_compact_matches_the_desk_style(value: float, shown: str) -> None:
    assert f.usd_compact(value) == shown


@pytest.mark.parametrize(("value", "shown"), [
    (50.0, "+50%"), (-2.64, MINUS + "2.64%"), (-2.635, MINUS + "2.64%"), (0.001, "0%"),
])
def test_pct_uses_one_minus_sign_and_a_plus_for_gains(value: float, shown: str) -> None:
    assert f.pct(value) == shown
    assert "-" not in f.pct(value)


def test_pct_unsigned_drops_the_sign_for_prose() -> None:
    assert f.pct(-2.64, signed=False) == "2.64%"


@pytest.mark.parametrize(("value", "shown"), [
    (81234.0, "$81.2k"), (72945.5, "$72.9k"), (80960.0, "$81k"), (2118.4, "$2,118"),
])
def test_level_rounding_never_misstates_by_more_than_the_last_digit(
    value: float, shown: str
) -> None:
    assert f.level(value) == shown
    digits = shown.strip("$k").replace(",", "")
    unit = 1000 if shown.endswith("k") else 1
    last_digit = unit * (0.1 if "." in digits else 1)
    assert abs(float(digits) * unit - value) <= last_digit


def test_ratio_rate_leverage_and_number() -> None:
    assert f.ratio(0.958) == "0.958"
    assert f.ratio(2.0) == "2.00"
    assert f.rate(0.0001) == "+0.0100%"
    assert f.rate(-0.00044) == MINUS + "0.0440%"
    assert f.leverage(20.0) == "20x"
    assert f.number(35.6) == "36"
    assert f.number(-0.744, digits=2) == MINUS + "0.74"


def test_missing_values_are_refused_rather_than_printed() -> None:
    with pytest.raises(ValueError):
        f.usd(None)
    with pytest.raises(ValueError):
        f.pct(float("nan"))


def test_times_are_utc_and_relative_times_read_naturally() -> None:
    when = datetime(2026, 2, 4, 12, 0, tzinfo=UTC)
    assert f.utc_time(when) == "12:00 UTC"
    assert f.utc_datetime(when) == "4 Feb 2026, 12:00 UTC"
    assert f.ago(when, when + timedelta(hours=3)) == "3 hours ago"
    assert f.duration(90) == "2 minutes"


def test_another_locale_changes_separators() -> None:
    assert f.usd(76017.25, locale="de_DE") == "$76.017"


@pytest.mark.parametrize(("amount", "article"), [
    ("$11M", "an"), ("$8.5M", "an"), ("$18,200", "an"), ("$80B", "an"), ("$1.1M", "a"),
    ("$110M", "a"), ("$45.7M", "a"),
])
def test_indefinite_article_follows_how_the_amount_is_spoken(amount: str, article: str) -> None:
    assert f.indefinite(amount) == article


def test_since_shows_the_day_only_when_it_differs() -> None:
    ref = datetime(2026, 2, 5, 12, 44, tzinfo=UTC)
    assert f.utc_since(datetime(2026, 2, 5, 5, 10, tzinfo=UTC), ref) == "05:10 UTC"
    assert f.utc_since(datetime(2026, 2, 4, 19, 54, tzinfo=UTC), ref) == "4 Feb, 19:54 UTC"
