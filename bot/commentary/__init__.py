"""Commentary: view models → jinja2 templates → Telegram HTML or plain text, and charts.

Public API (see ``posts`` and ``charts``)::

    render_article(analysis, chat_id=..., flavour="html", recent_headlines=()) -> RenderedPost
    render_quick / render_whales / render_levels / render_answer
    render_template(name, flavour, **context)       # for other packages' templates
    set_locale(settings.locale)                     # once at start-up

Charts (``bot.commentary.charts``: matplotlib, ~1 s to import) are imported only by the
code that draws one: ``from bot.commentary.charts import render_chart``.
"""

from bot.commentary.posts import (
    RenderedPost,
    render_answer,
    render_article,
    render_levels,
    render_quick,
    render_whales,
)
from bot.commentary.related import RelatedQuestion
from bot.commentary.render import render_messages, render_template, set_locale
from bot.commentary.telegram_html import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    fit_caption,
    split_message,
    utf16_len,
    visible_len,
)

__all__ = [
    "CAPTION_LIMIT",
    "MESSAGE_LIMIT",
    "RelatedQuestion",
    "RenderedPost",
    "fit_caption",
    "render_answer",
    "render_article",
    "render_levels",
    "render_messages",
    "render_quick",
    "render_template",
    "render_whales",
    "set_locale",
    "split_message",
    "utf16_len",
    "visible_len",
]
