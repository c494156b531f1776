"""The jinja2 environments: one template source renders Telegram HTML or plain text.

Two environments share the ``templates/`` loader: the HTML one autoescapes, the text
one does not. Templates import ``_macros/markup.j2`` whose macros read the global
``flavour`` to emit tags or plain text, so wording lives in one place.
"""

from __future__ import annotations

import re
from functools import cache, partial
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from bot.commentary import formatting
from bot.commentary.claims import HOOKS, recording_filter
from bot.commentary.telegram_html import SECTION_BREAK, Flavour, split_message
from bot.resources import templates_dir

FLAVOURS: tuple[Flavour, ...] = ("html", "text")
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")
_TRAILING = re.compile(r"[ \t]+\n")
_CONTINUATION = re.compile(r"\n (?=\S)")
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S)[ \t]+(?=[.,;:!?](?:\s|$))")


_settings = {"locale": formatting.DEFAULT_LOCALE}


def set_locale(locale: str) -> None:
    """Use ``locale`` (settings.locale, validated by the config) for number formats."""
    _settings["locale"] = locale


def environment(flavour: Flavour, locale: str | None = None) -> Environment:
    """The environment for ``flavour``, filters bound to ``locale`` (default: the set one)."""
    return _environment(flavour, locale or _settings["locale"])


@cache
def _environment(flavour: Flavour, locale: str) -> Environment:
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown flavour {flavour!r}")
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        undefined=StrictUndefined,
        autoescape=flavour == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # compiled once per process: no stat() of the file per render
        cache_size=-1,  # every template stays compiled (there are a few hundred at most)
    )
    for name, fn in {**formatting.NUMBER_FILTERS, **formatting.TIME_FILTERS}.items():
        env.filters[name] = recording_filter(name, partial(fn, locale=locale))
    env.filters["ago"] = partial(formatting.ago, locale=locale)
    env.filters["a_or_an"] = formatting.indefinite
    env.filters["duration"] = partial(formatting.duration, locale=locale)
    env.globals["flavour"] = flavour
    env.globals["SECTION"] = SECTION_BREAK
    env.globals["ed"] = HOOKS
    env.tests["roomy"] = HOOKS.room
    env.globals["same_level"] = partial(formatting.same_level, locale=locale)
    env.globals["same_number"] = partial(formatting.same_number, locale=locale)
    return env


def tidy(text: str) -> str:
    """Normalise whitespace left by dropped sentences: no double spaces or blank runs."""
    text = _TRAILING.sub("\n", text)
    text = _CONTINUATION.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    text = _BLANK_RUN.sub("\n\n", text)
    text = re.sub(r"\n+" + SECTION_BREAK + r"\n*", SECTION_BREAK, text)
    return text.strip()


def render_raw(name: str, flavour: Flavour, **context: Any) -> str:
    """Render template ``name`` and tidy it; section breaks are kept."""
    template = environment(flavour).get_template(name)
    return tidy(template.render(**context))


def has_template(name: str) -> bool:
    """Whether ``templates/name`` exists."""
    return (templates_dir() / name).is_file()


def render_template(name: str, flavour: Flavour, **context: Any) -> str:
    """Render ``name`` as one piece of text (section breaks become blank lines)."""
    return render_raw(name, flavour, **context).replace(SECTION_BREAK, "\n\n").strip()


def render_messages(name: str, flavour: Flavour, **context: Any) -> tuple[str, ...]:
    """Render ``name`` and split it into Telegram-sized messages at section boundaries."""
    return split_message(render_raw(name, flavour, **context), flavour)


def render_string(source: str, flavour: Flavour, **context: Any) -> str:
    """Render a short template string (a phrase-bank variant) in ``flavour``."""
    return tidy(_compiled(source, flavour, _settings["locale"]).render(**context))


@cache
def _compiled(source: str, flavour: Flavour, locale: str) -> Template:
    """``source`` compiled once per process (phrase banks are a fixed set of strings)."""
    return environment(flavour, locale).from_string(source)
