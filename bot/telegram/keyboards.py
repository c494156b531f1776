"""Inline keyboards under posts, with short callback data that survives a restart.

Callback data points at a stored post: ``r:<post_id>:<view>`` refreshes the view,
``c:<post_id>:<timeframe>`` sends a chart, ``q:<post_id>:<intent>[:<topic>]`` answers a
related question from the post. Everything fits Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app.views import VIEWS, View
from bot.commentary.render import render_template
from bot.commentary.telegram_html import Flavour

_VIEW_CODES: dict[str, View] = {v[0]: v for v in VIEWS}
_VIEW_CODES["p"] = "price"
CHART_TIMEFRAMES = ("1h", "4h", "1d")
MAX_CALLBACK_BYTES = 64
_PATTERN = re.compile(r"^(?P<kind>[rc]):(?P<post>[0-9]{1,12}):(?P<arg>[a-z0-9]{1,3})$")
_QUESTION = re.compile(
    r"^q:(?P<post>[0-9]{1,12}):(?P<intent>[a-z_]{1,16})(?::(?P<topic>[a-z_]{1,16}))?$"
)


@dataclass(frozen=True, slots=True)
class ButtonAction:
    """A parsed tap: refresh a view of a post, or chart the post's symbol."""

    kind: Literal["refresh", "chart"]
    post_id: int
    view: View | None = None
    timeframe: str | None = None


def refresh_data(post_id: int, view: View) -> str:
    """Callback data of the refresh button."""
    return f"r:{post_id}:{view[0]}"


def chart_data(post_id: int, timeframe: str) -> str:
    """Callback data of a chart button."""
    return f"c:{post_id}:{timeframe}"


@dataclass(frozen=True, slots=True)
class QuestionTap:
    """A tap on a related-question button: answer ``intent`` from stored post ``post_id``."""

    post_id: int
    intent: str
    topic: str | None = None


def question_data(post_id: int, intent: str, topic: str | None = None) -> str:
    """Callback data of a related-question button (intent by name: survives code changes)."""
    return f"q:{post_id}:{intent}" + (f":{topic}" if topic else "")


def parse_question(data: str | None) -> QuestionTap | None:
    """The related question behind callback ``data``, or ``None`` for anything else."""
    match = _QUESTION.match(data or "")
    if match is None:
        return None
    return QuestionTap(int(match["post"]), match["intent"], match["topic"])


def parse_callback(data: str | None) -> ButtonAction | None:
    """The action behind callback ``data``, or ``None`` for anything we did not issue."""
    match = _PATTERN.match(data or "")
    if match is None:
        return None
    post_id, arg = int(match["post"]), match["arg"]
    if match["kind"] == "r":
        view = _VIEW_CODES.get(arg)
        return None if view is None else ButtonAction("refresh", post_id, view=view)
    if arg not in CHART_TIMEFRAMES:
        return None
    return ButtonAction("chart", post_id, timeframe=arg)


def _label(kind: str, flavour: Flavour, **ctx: object) -> str:
    return render_template("telegram/button.j2", "text", kind=kind, **ctx)


def post_keyboard(
    post_id: int, view: View, flavour: Flavour, chart_timeframe: str = "4h"
) -> InlineKeyboardMarkup:
    """Refresh and chart buttons under a post."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_label("refresh", flavour),
                                     callback_data=refresh_data(post_id, view)),
                InlineKeyboardButton(_label("chart", flavour, timeframe=chart_timeframe),
                                     callback_data=chart_data(post_id, chart_timeframe)),
            ]
        ]
    )
