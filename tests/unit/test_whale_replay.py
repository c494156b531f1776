"""The whale watcher on the real Hyperliquid snapshots of 2026-02-04/05 (../shared/data; skipped
with the reason when missing): ``python -m bot alerts --replay`` prints exactly the changes of
the ranked top list between consecutive snapshots (computed here independently from the raw
JSON), worded as top-list moves — never "opened" or "closed" — and the price alerts set on
the 4th's levels fire once each.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings

START, END = "2026-02-04T00:00:00Z", "2026-02-06T00:00:00Z"
CHAT_MIN_USD = 5_000_000
Event = tuple[str, str, str, str, str]  # (round stamp, kind, who, coin, side)

_LINE = re.compile(
    r"^• (?:(?P<who_add>.+?) added to its (?P<coin_add>\S+) (?P<side_add>long|short): size up"
    r"|(?P<who_cut>.+?) cut its (?P<coin_cut>\S+) (?P<side_cut>long|short) by"
    r"|(?P<who_left>.+?)'s \$\S+ (?P<coin_left>\S+) (?P<side_left>long|short) left the top list"
    r"|(?P<who_in>.+?)'s \$\S+ (?P<coin_in>\S+) (?P<side_in>long|short)(?: at \S+)? entered "
    r"the top list"
    r"|(?P<who_flip>.+?) flipped (?P<coin_flip>\S+) from \S+ to an? \$\S+ \S+ "
    r"(?P<side_flip>long|short))")
_KINDS = {"add": "increased", "cut": "reduced", "left": "left", "in": "entered",
          "flip": "flipped"}


def _printed(out: str) -> list[Event]:
    """Every whale event line of the replay's output, with the round it was printed in."""
    events: list[Event] = []
    stamp = ""
    for line in out.splitlines():
        if line.startswith("[") and line.endswith("]"):
            stamp = line[1:-1]
        elif line.startswith("• "):
            match = _LINE.match(line)
            assert match is not None, f"a whale line in no known wording: {line}"
            [tag] = {k.split("_")[1] for k, v in match.groupdict().items() if v}
            events.append((stamp, _KINDS[tag], match[f"who_{tag}"], match[f"coin_{tag}"],
                           match[f"side_{tag}"]))
    return events


def _positions(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in doc["whaleTracker"]["biggestPositions"]:
        out.setdefault((raw["traderAddress"].lower(), raw["coin"].upper()), raw)
    return out


def _who(address: str, raw: dict[str, Any], labels: dict[str, str]) -> str:
    return labels.get(address) or raw.get("traderName") or f"Whale {address[:6]}…{address[-4:]}"


def _expected(data: Path, settings: Settings) -> list[Event]:
    """The top-list changes between consecutive snapshots, from the raw JSON alone."""
    watch = settings.whales.watch
    labels = {w.address: w.label for w in settings.whales.tracked}
    docs = sorted((json.loads(p.read_text()) for p in
                   (data / "hyperliquid" / "whale_snapshots").glob("*.json")),
                  key=lambda d: d["lastUpdated"])
    events: list[Event] = []
    for old_doc, new_doc in pairwise(docs):
        seen = datetime.fromisoformat(new_doc["lastUpdated"].replace("Z", "+00:00"))
        # the first hourly round at or after the snapshot prints its moves
        stamp = datetime(seen.year, seen.month, seen.day, seen.hour, tzinfo=UTC) \
            + timedelta(hours=1)
        before, after = _positions(old_doc), _positions(new_doc)
        for key in set(before) | set(after):
            old, new = before.get(key), after.get(key)
            usd = max(abs(float(p["positionValue"])) for p in (old, new) if p is not None)
            if usd < max(watch.min_notional_usd, CHAT_MIN_USD):
                continue
            shown = new if new is not None else old
            assert shown is not None
            side = shown["direction"].lower()
            if old is None:
                kind = "entered"
            elif new is None:
                kind = "left"
            elif new["direction"] != old["direction"]:
                kind = "flipped"
            else:
                a, b = abs(float(old["size"])), abs(float(new["size"]))
                if abs(b - a) / a * 100 < watch.change_pct:
                    continue
                kind = "increased" if b > a else "reduced"
            events.append((stamp.isoformat(), kind, _who(key[0], shown, labels), key[1], side))
    return events


def test_replay_prints_exactly_the_top_list_changes_and_fires_each_alert_once(
    shared_data: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    rc = main(["alerts", "--replay", str(shared_data), "--from", START, "--to", END,
               "--alert", "btc below 72k", "--alert", "btc 65k", "--alert", "btc above 77k",
               "--whale-min", "5m"])
    out = capsys.readouterr().out
    assert rc == 0
    printed, expected = _printed(out), _expected(shared_data, settings)
    assert len(expected) > 50  # a busy two days: the comparison is not vacuous
    assert Counter(printed) == Counter(expected)
    assert " opened " not in out and " closed " not in out.replace("closed, cut", "")
    assert out.count("🔔 BTC dropped below $72,000") == 1
    assert out.count("🔔 BTC dropped below $65,000") == 1
    assert "$77,000 on" not in out and "crossed above" not in out
    assert ": 2 price alerts and" in out
    assert f"with {len(printed)} whale moves of $5M or more." in out
    per_round = Counter(e[0] for e in printed)  # eight moves to a message
    assert out.count("🐋 Whale moves") == sum(math.ceil(n / 8) for n in per_round.values())


def test_the_first_snapshot_is_a_baseline_not_two_hundred_new_positions(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    rc = main(["alerts", "--replay", str(shared_data), "--from", "2026-02-04T10:00:00Z",
               "--to", "2026-02-04T14:00:00Z", "--whale-min", "0"])
    out = capsys.readouterr().out
    assert rc == 0
    # only the 10:54 snapshot is in this window: the watcher's baseline, whatever the size
    assert "🐋" not in out
    assert out.rstrip().endswith("0 whale messages with 0 whale moves of $0 or more.")
