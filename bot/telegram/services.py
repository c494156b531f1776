"""The market service as the Telegram transport holds it: flood control and buttons added.

Everything a reply is made of comes from :class:`bot.app.service.MarketService`; this
subclass adds only what exists because of Telegram: the per-user flood guard and the inline
keyboards under posts (feature modules register extra button rows).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app.service import MarketService, Post
from bot.app.views import PostButtons
from bot.commentary.telegram_html import Flavour
from bot.config import Settings
from bot.market.source import MarketSource
from bot.storage import Storage
from bot.telegram.flood import FloodGuard
from bot.telegram.keyboards import post_keyboard

#: Adds button rows under a post (e.g. related questions); registered by feature modules.
ButtonRows = Callable[[PostButtons], Sequence[Sequence[InlineKeyboardButton]]]


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

    def keyboard(self, post: Post) -> InlineKeyboardMarkup:
        """Refresh and chart buttons under ``post``, then every registered extra row."""
        return self.buttons(PostButtons(post.post_id, post.view, post.related, post.symbol,
                                        post.levels))

    def buttons(self, post: PostButtons) -> InlineKeyboardMarkup:
        """The keyboard of a post known by id, view and related questions (digests too)."""
        rows = [list(row) for row in post_keyboard(post.post_id, post.view, self.flavour)
                .inline_keyboard]
        for provider in self.button_rows:
            rows.extend(list(row) for row in provider(post))
        return InlineKeyboardMarkup(rows)
