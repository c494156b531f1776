"""The market service as the Telegram transport holds it: flood control and buttons added.

Everything a reply is made of comes from :class:`bot.app.service.MarketService`; this
subclass adds only what exists because of Telegram: the per-user flood guard, the inline
keyboards under posts (feature modules register extra button rows) and the ``file_id`` of
each chart already uploaded, so the same chart is sent again without uploading it.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest

from bot.app.service import Chart, MarketService, Post
from bot.app.views import PostButtons
from bot.commentary.telegram_html import Flavour
from bot.config import Settings
from bot.market.source import MarketSource
from bot.storage import Storage
from bot.telegram.flood import FloodGuard
from bot.telegram.keyboards import post_keyboard

#: Adds button rows under a post (e.g. related questions); registered by feature modules.
ButtonRows = Callable[[PostButtons], Sequence[Sequence[InlineKeyboardButton]]]
#: Uploaded charts whose ``file_id`` is remembered.
_FILE_IDS = 256
#: Keyboards kept (one per post and view: the same post under every chat reuses it).
_KEYBOARDS = 512
log = logging.getLogger(__name__)


class BotService(MarketService):
    """The market use cases plus the bot's flood guard and post keyboards."""

    def __init__(
        self,
        settings: Settings,
        source: MarketSource,
        storage: Storage,
        *,
        flavour: Flavour = "html",
        flood: FloodGuard | None = None,
    ) -> None:
        super().__init__(settings, source, storage, flavour=flavour)
        self.flood = flood or FloodGuard(max_in_flight=settings.telegram.per_user_concurrency)
        #: extra button rows under posts, in registration order
        self.button_rows: list[ButtonRows] = []
        #: chart key → Telegram ``file_id`` of its uploaded photo
        self.chart_file_ids: OrderedDict[Hashable, str] = OrderedDict()
        self._keyboards: OrderedDict[tuple[PostButtons, int], InlineKeyboardMarkup] = (
            OrderedDict())

    async def reply_chart(self, message: Message, chart: Chart) -> Message:
        """Send ``chart`` under ``message``: by its ``file_id`` when it was uploaded before
        (uploaded again if Telegram no longer knows it), else uploaded and remembered."""
        file_id = self.chart_file_ids.get(chart.key)
        if file_id is not None:
            self.chart_file_ids.move_to_end(chart.key)
            try:
                return await message.reply_photo(file_id, caption=chart.caption)
            except BadRequest as e:
                log.info("chart file_id refused (%s); uploading it again", e.message)
                self.chart_file_ids.pop(chart.key, None)
        sent = await message.reply_photo(chart.png, caption=chart.caption)
        if sent.photo:
            self.chart_file_ids[chart.key] = sent.photo[-1].file_id
            while len(self.chart_file_ids) > _FILE_IDS:
                self.chart_file_ids.popitem(last=False)
        return sent

    def keyboard(self, post: Post) -> InlineKeyboardMarkup:
        """Refresh and chart buttons under ``post``, then every registered extra row."""
        return self.buttons(PostButtons(post.post_id, post.view, post.related, post.symbol,
                                        post.levels))

    def buttons(self, post: PostButtons) -> InlineKeyboardMarkup:
        """The keyboard of a post known by id, view and related questions (digests too);
        built once per post (row providers are functions of ``post`` alone)."""
        key = (post, len(self.button_rows))
        markup = self._keyboards.get(key)
        if markup is not None:
            self._keyboards.move_to_end(key)
            return markup
        rows = [list(row) for row in post_keyboard(post.post_id, post.view, self.flavour)
                .inline_keyboard]
        for provider in self.button_rows:
            rows.extend(list(row) for row in provider(post))
        markup = InlineKeyboardMarkup(rows)
        self._keyboards[key] = markup
        while len(self._keyboards) > _KEYBOARDS:
            self._keyboards.popitem(last=False)
        return markup
