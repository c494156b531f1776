"""Answers from two coins' spot prices: cross rates and conversions (worded in
``templates/answers/cross.j2`` and ``convert.j2``).

A cross rate is the base's dollar price over the quote's; its 24h change follows from the
two 24h changes: (1 + base) / (1 + quote) − 1. A conversion uses the current prices and
says which prices (and as of when) it used. Dollar stablecoins count as one dollar.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.analysis.model import Analysis
from bot.commentary.render import render_template
from bot.commentary.telegram_html import Flavour
from bot.qa.pairs import PairAsk, is_dollar


@dataclass(frozen=True, slots=True)
class Quote:
    """One unit's dollar price, 24h change (percent) and time (``None`` for dollars)."""

    unit: str
    price: float
    change_24h_pct: float | None
    as_of: datetime | None
    demo: bool = False


def quote_of(unit: str, analyses: Mapping[str, Analysis]) -> Quote | None:
    """The dollar quote of ``unit`` (1 for dollars), ``None`` without a price."""
    if is_dollar(unit):
        return Quote(unit, 1.0, 0.0, None)
    analysis = analyses.get(unit)
    if analysis is None or analysis.price is None:
        return None
    return Quote(unit, analysis.price.last, analysis.price.change_24h_pct, analysis.as_of,
                 analysis.source == "demo")


def digits_for(value: float) -> int:
    """Decimals that keep about four significant figures (two from 1,000 up)."""
    magnitude = abs(value)
    if magnitude >= 1000 or magnitude == 0:
        return 2
    return max(2, min(10, 3 - math.floor(math.log10(magnitude))))


def cross_change(base: Quote, quote: Quote) -> float | None:
    """The cross rate's 24h change in percent, from the two dollar changes."""
    if base.change_24h_pct is None or quote.change_24h_pct is None:
        return None
    return ((1 + base.change_24h_pct / 100) / (1 + quote.change_24h_pct / 100) - 1) * 100


def pair_text(intent: str, pair: PairAsk, analyses: Mapping[str, Analysis],
              flavour: Flavour) -> str:
    """The answer to a cross rate (``intent`` "cross") or conversion ("convert")."""
    base, quote = quote_of(pair.base, analyses), quote_of(pair.quote, analyses)
    if base is None or quote is None:
        missing = pair.base if base is None else pair.quote
        return render_template("answers/pair_missing.j2", flavour, unit=missing)
    times = [q.as_of for q in (base, quote) if q.as_of is not None]
    rate = base.price / quote.price
    context = {
        "base": base, "quote": quote, "rate": rate, "rate_digits": digits_for(rate),
        "as_of": min(times) if times else None, "demo": base.demo or quote.demo,
    }
    if intent == "cross":
        return render_template("answers/cross.j2", flavour, change=cross_change(base, quote),
                               inverse=1 / rate, inverse_digits=digits_for(1 / rate),
                               **context)
    amount = pair.amount if pair.amount is not None else 1.0
    result = amount * rate
    return render_template("answers/convert.j2", flavour, amount=amount,
                           amount_digits=digits_for(amount), result=result,
                           result_digits=digits_for(result), **context)
