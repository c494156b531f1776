"""Inline mode: ``@bot btc`` typed in any chat answers with shareable cards.

A thin handler over :class:`bot.app.inline.InlineDesk`: cards become Telegram results —
an article whose message is the post (HTML), or a photo Telegram already holds (a chart's
``file_id``). Results are cached by Telegram for ``CACHE_SECONDS`` (as long as the quick
take's snapshot stays fresh) and are the same for every user (``is_personal`` off).
An inline query answered too late (after a restart, say) is dropped quietly: the user
has moved on and Telegram refuses the answer.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultCachedPhoto,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, InlineQueryHandler

from bot.app.inline import InlineCard, InlineDesk
from bot.telegram.handlers.common import Context, desk_in
from bot.telegram.services import BotService

log = logging.getLogger(__name__)

#: ``bot_data`` key of the application's :class:`InlineDesk`.
DESK_KEY = "inline_desk"
#: how long Telegram may reuse an answer (seconds): the price snapshot's freshness
CACHE_SECONDS = 30

InlineResult = InlineQueryResultArticle | InlineQueryResultCachedPhoto


def as_result(card: InlineCard) -> InlineResult:
    """The Telegram result of one card."""
    if card.photo_file_id is not None:
        return InlineQueryResultCachedPhoto(card.id, card.photo_file_id, title=card.title,
                                            caption=card.text, parse_mode=ParseMode.HTML)
    return InlineQueryResultArticle(
        card.id, card.title,
        InputTextMessageContent(card.text, parse_mode=ParseMode.HTML),
        description=card.description or None)


async def inline_query(update: Update, context: Context) -> None:
    """Answer ``@bot QUERY`` with the cards of the query."""
    query = update.inline_query
    if query is None:
        return
    desk = desk_in(context, DESK_KEY, InlineDesk,
                   lambda service: InlineDesk(service, service.chart_file_ids.get))
    cards = await desk.answer(query.query)
    try:
        await query.answer([as_result(c) for c in cards], cache_time=CACHE_SECONDS,
                           is_personal=False)
    except BadRequest as e:
        if "query is too old" not in str(e).lower():
            raise
        log.info("inline query %s answered too late: %s", query.id, e)


def register_handlers(app: Application, service: BotService) -> None:
    """Register the inline query handler."""
    app.add_handler(InlineQueryHandler(inline_query))
