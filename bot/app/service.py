"""The market use cases behind every entry point: snapshot → analysis → rendering → storage.

Handlers stay thin: they parse, call one method here and reply. Caches are keyed by the
data, not the clock: one analysis per (symbol, content version) is computed, stored once
and reused — with each rendered post and chart — by every chat, button and digest round
until the data changes (``bot.market.version``). Nothing here knows how a message is sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rapidfuzz import fuzz, process

from bot.analysis import Analysis, analyse
from bot.app import housekeeping, views
from bot.app.errors import failure_reply
from bot.app.housekeeping import Pruned
from bot.app.record_picture import TEMPLATE as PICTURE_TEMPLATE
from bot.app.record_picture import RecordPictures
from bot.app.status import status_text as operators_status
from bot.app.trackrecord import LINE_TEMPLATE, track_record, with_line
from bot.app.trackrecord import TEMPLATE as TRACK_TEMPLATE
from bot.app.views import View
from bot.commentary import RelatedQuestion
from bot.commentary.related import related_questions
from bot.commentary.render import render_template
from bot.commentary.telegram_html import Flavour
from bot.commentary.views import build_view
from bot.config import Settings
from bot.errors import DataError, StorageError, UnknownSymbolError, VenueError
from bot.evidence.records import CallBook
from bot.evidence.track import published_rows
from bot.market.liquidations import StreamState
from bot.market.models import MarketSnapshot
from bot.market.source import KeepsWarm, MarketSource, VenueListing
from bot.market.version import Version, content_version
from bot.storage import Storage, StoredPost
from bot.storage.leader import Leadership, SoleLeader
from bot.symbols import SymbolResolver, use_listing

log = logging.getLogger(__name__)
COMMANDS: tuple[str, ...] = ("start", "help", "price", "digest", "whales", "levels", "chart",
                             "ask", "subscribe", "subscriptions", "unsubscribe", "timezone",
                             "pause", "resume", "alert", "alerts", "unalert", "trackrecord",
                             "status", "whalewatch", "whalealerts", "liqalerts")
_CACHE_SIZE = 64
#: Views whose posts state calls (odds, bias): recorded for the track record.
CALL_VIEWS: frozenset[View] = frozenset({"quick", "digest"})
#: Post id of an analysis the database refused to store (never a real row id).
UNSTORED_POST = 0
#: Rendered posts kept (per post id, view and — for digests — chat).
_POST_CACHE_SIZE = 512
#: Chart images kept (per symbol, version, timeframe and flavour): ~100 kB each.
_CHART_CACHE_SIZE = 64
#: Coins one /price answers (more are named as left out).
MAX_PRICES = 5
#: How close a mistyped command must be to one we know to be suggested.
_COMMAND_SCORE = 75.0


@dataclass(frozen=True, slots=True)
class Post:
    """A rendered post, stored under ``post_id``; ``messages`` are Telegram-sized parts."""

    post_id: int
    symbol: str
    view: View
    messages: tuple[str, ...]
    as_of: datetime
    related: tuple[RelatedQuestion, ...] = ()
    #: named levels offered as alerts under the post: (name, price)
    levels: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart image with its caption."""

    post_id: int
    symbol: str
    timeframe: str
    png: bytes
    caption: str
    #: (symbol, content version, timeframe, flavour): equal keys are equal images
    key: tuple[str, Version, str, str] = ("", (0, 0), "", "")


@dataclass(frozen=True, slots=True)
class CommandHelp:
    """A command as shown in the menu and in /help."""

    command: str
    description: str
    example: str


@dataclass(frozen=True, slots=True)
class CurrentMarket:
    """The latest snapshot of a symbol, its analysis and the id it is stored under."""

    snapshot: MarketSnapshot
    analysis: Analysis
    post_id: int
    #: the snapshot's content version (``bot.market.version``)
    version: Version = (0, 0)


@dataclass
class Counters:
    """Process-wide counts shown by /status."""

    updates: int = 0
    errors: int = 0
    started: float = field(default_factory=time.monotonic)


class MarketService:
    """The market use cases, bound to one source, one database and one flavour."""

    def __init__(
        self,
        settings: Settings,
        source: MarketSource,
        storage: Storage,
        *,
        flavour: Flavour = "html",
    ) -> None:
        self.settings = settings
        self.source = source
        #: the liquidation streams' health, once they are set up (``/status`` shows it)
        self.stream_states: Callable[[], tuple[StreamState, ...]] | None = None
        self.storage = storage
        self.flavour: Flavour = flavour
        # any coin the spot venue lists resolves (a source without a listing clears it)
        use_listing(settings, source.listing if isinstance(source, VenueListing) else None)
        self.symbols = SymbolResolver(settings)
        self.counters = Counters()
        self._analysed: OrderedDict[tuple[str, Version], CurrentMarket] = OrderedDict()
        self._posts: OrderedDict[tuple[str, Version, str, int], Post] = OrderedDict()
        self._charts: OrderedDict[tuple[str, Version, str, str], Chart] = OrderedDict()
        #: charts drawn (a cache hit draws none)
        self.chart_renders = 0
        self._last_snapshot: dict[str, MarketSnapshot] = {}
        self._versions: dict[str, tuple[MarketSnapshot, Version]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.calls = CallBook(storage.calls)
        #: pictures of the track record, cached by its content
        self.record_pictures = RecordPictures(self.calls)
        #: who runs the scheduled jobs (the entry point sets the PostgreSQL lease)
        self.leadership: Leadership = SoleLeader()

    # -- market ------------------------------------------------------------------------

    async def analysed(self, symbol: str) -> CurrentMarket:
        """Current snapshot and its analysis (computed and stored once per content version:
        a newer snapshot of the same data answers with the first one and its post)."""
        try:
            snapshot = await self.source.snapshot(symbol)
        except (VenueError, DataError) as e:
            e.about(symbol)
            raise
        self._last_snapshot[snapshot.symbol] = snapshot
        version = self._version(snapshot)
        key = (snapshot.symbol, version)
        cached = self._analysed.get(key)
        if cached is not None:
            self._analysed.move_to_end(key)
            return cached
        lock = self._locks.setdefault(snapshot.symbol, asyncio.Lock())
        async with lock:
            cached = self._analysed.get(key)
            if cached is None:
                analysis = await asyncio.to_thread(analyse, snapshot, self.settings)
                try:
                    post_id = await self.storage.save_post(snapshot.symbol, snapshot.as_of,
                                                           analysis)
                except StorageError as e:  # answer anyway; its buttons will say "stale"
                    log.warning("answering %s without storing its analysis: %s",
                                snapshot.symbol, e)
                    return CurrentMarket(snapshot, analysis, UNSTORED_POST, version)
                cached = CurrentMarket(snapshot, analysis, post_id, version)
                self._analysed[key] = cached
                while len(self._analysed) > _CACHE_SIZE:
                    self._analysed.popitem(last=False)
        return cached

    def _version(self, snapshot: MarketSnapshot) -> Version:
        """``snapshot``'s content version (not hashed again for the snapshot seen last)."""
        seen = self._versions.get(snapshot.symbol)
        if seen is not None and seen[0] is snapshot:
            return seen[1]
        version = content_version(snapshot)
        self._versions[snapshot.symbol] = (snapshot, version)
        return version

    async def post(self, symbol: str, view: View, *, chat_id: int = 0) -> Post:
        """Render ``view`` of the current ``symbol`` market."""
        current = await self.analysed(symbol)
        # one rendering per (post, view) serves every chat; only the digest's headline is
        # chosen per chat
        key = (current.snapshot.symbol, current.version, view,
               chat_id if view == "digest" else 0)
        cached = self._posts.get(key)
        if cached is not None:
            self._posts.move_to_end(key)
            return cached
        if view in CALL_VIEWS:
            await self.record_calls(current)
        rendered = views.render_view(view, current.analysis, self.flavour, chat_id=chat_id)
        related = rendered.related or related_questions(build_view(current.analysis),
                                                        self.flavour)
        messages = rendered.messages
        if view == "digest":
            messages = await self.cite_track_record(current.snapshot.symbol, messages)
        post = Post(current.post_id, current.snapshot.symbol, view, messages,
                    current.snapshot.as_of, related, views.alert_levels(current.analysis, view))
        self._posts[key] = post
        while len(self._posts) > _POST_CACHE_SIZE:
            self._posts.popitem(last=False)
        return post

    async def refresh_hot(self) -> None:
        """Refresh the configured symbols' market data in the background (concurrently), so
        a reader's reply never waits for the network. Analyses are not made here: one is
        stored per data version a reader asks for, not per refresh."""
        if isinstance(self.source, KeepsWarm):
            await self.source.keep_warm(self.settings.symbol_names)

    async def prices_text(self, asked: list[str]) -> str:
        """One line per coin asked (at most ``MAX_PRICES``), each coin's failure as its code."""

        async def row(raw: str) -> dict[str, Any]:
            line: dict[str, Any] = {"symbol": raw.upper(), "failure": None, "price": None,
                                    "change_24h_pct": None, "as_of": None, "venue": None,
                                    "suggestion": None, "where": None}
            try:
                current = await self.analysed(self.symbols.resolve(raw))
            except (UnknownSymbolError, VenueError, DataError) as e:
                failure = failure_reply(e)
                line.update(failure.details, failure=failure.kind)
                line["symbol"] = getattr(e, "symbol", None) or raw.upper()
                return line
            price = current.analysis.price
            line.update(symbol=current.snapshot.symbol, as_of=current.snapshot.as_of,
                        price=price.last if price else None,
                        change_24h_pct=price.change_24h_pct if price else None)
            return line

        unique = list(dict.fromkeys(asked))
        rows = await asyncio.gather(*(row(raw) for raw in unique[:MAX_PRICES]))
        return self.text("telegram/prices.j2", rows=rows, limit=MAX_PRICES,
                         left_out=unique[MAX_PRICES:], simulated=self.settings.symbol_names)

    async def published(self, symbol: str) -> CurrentMarket:
        """The current market of a post about to be published (its calls recorded)."""
        current = await self.analysed(symbol)
        await self.record_calls(current)
        return current

    async def record_calls(self, current: CurrentMarket) -> None:
        """Store the calls of a published post, once per (symbol, as-of, horizon).

        A failure is logged, never the post's: the record is secondary to the reply.
        """
        try:
            await self.calls.record(published_rows(current.analysis))
        except StorageError as e:
            log.warning("calls of %s not recorded: %s", current.snapshot.symbol, e)

    async def track_record_text(self, symbol: str | None) -> str:
        """The /trackrecord reply for ``symbol`` (every symbol when ``None``)."""
        record = await track_record(self.calls, symbol)
        return self.text(TRACK_TEMPLATE, record=record)

    async def track_record_picture(self, symbol: str | None) -> Chart | str:
        """The track record's picture with its caption, or the text saying why there is
        none yet (too few graded calls)."""
        picture = await self.record_pictures.picture(symbol)
        text = self.text(PICTURE_TEMPLATE, picture=picture, symbol=symbol)
        if picture.chart.png is None:
            return text
        symbol_key, content = picture.key
        return Chart(0, symbol_key, "record", picture.chart.png, text,
                     (symbol_key, content, "record", self.flavour))

    async def cite_track_record(self, symbol: str, messages: tuple[str, ...]
                                ) -> tuple[str, ...]:
        """An article's messages closed by one line of the symbol's record, once graded."""
        try:
            record = await track_record(self.calls, symbol)
        except StorageError as e:
            log.warning("track record of %s not cited: %s", symbol, e)
            return messages
        if not record.horizons:
            return messages
        return with_line(messages, self.text(LINE_TEMPLATE, record=record))

    async def current_as_of(self, symbol: str) -> datetime | None:
        """As-of time of the latest data of ``symbol`` (``None`` when unavailable): the
        first snapshot of its content version when that one was analysed."""
        try:
            snapshot = await self.source.snapshot(symbol)
        except (VenueError, DataError):
            known = self._last_snapshot.get(symbol)
            return known.as_of if known is not None else None
        self._last_snapshot[snapshot.symbol] = snapshot
        analysed = self._analysed.get((snapshot.symbol, self._version(snapshot)))
        return analysed.snapshot.as_of if analysed is not None else snapshot.as_of

    def _chart_key(self, current: CurrentMarket, timeframe: str) -> tuple[str, Version, str, str]:
        return (current.snapshot.symbol, current.version, timeframe, self.flavour)

    async def drawn_chart(self, symbol: str, timeframe: str) -> Chart | None:
        """The chart of the current ``symbol`` market if it is already drawn (never draws)."""
        return self._charts.get(self._chart_key(await self.analysed(symbol), timeframe))

    async def chart(self, symbol: str, timeframe: str) -> Chart:
        """A candle chart of ``symbol`` on ``timeframe`` with a short caption; drawn once
        per content version, timeframe and flavour, then served from memory."""
        current = await self.analysed(symbol)
        key = self._chart_key(current, timeframe)
        cached = self._charts.get(key)
        if cached is not None:
            self._charts.move_to_end(key)
            return cached
        self.chart_renders += 1
        png = await views.render_chart(current.snapshot, current.analysis, timeframe,
                                       self.settings.indicators.dmi)
        caption = render_template(
            "telegram/chart_caption.j2",
            self.flavour,
            symbol=current.snapshot.symbol,
            timeframe=timeframe,
            price=current.snapshot.last_price,
            bias=current.analysis.bias.label if current.analysis.bias else None,
            as_of=current.snapshot.as_of,
        )
        chart = Chart(current.post_id, current.snapshot.symbol, timeframe, png, caption, key)
        self._charts[key] = chart
        while len(self._charts) > _CHART_CACHE_SIZE:
            self._charts.popitem(last=False)
        return chart

    async def stored(self, post_id: int) -> StoredPost | None:
        """A stored post (``None`` when unknown, pruned or undecodable)."""
        post = await self.storage.post(post_id)
        return post if post is not None and post.analysis is not None else None

    async def prune(self) -> Pruned:
        """Forget what is past its keep (posts, settled updates, delivery records)."""
        return await housekeeping.prune(
            self.storage, timedelta(days=self.settings.storage.retention_days))

    # -- fixed texts -------------------------------------------------------------------

    def commands(self) -> tuple[CommandHelp, ...]:
        """Every command with its description and an example, symbols included."""
        example = self.settings.symbol_names[0]
        names = [*COMMANDS[:2], *(s.lower() for s in self.settings.symbol_names), *COMMANDS[2:]]
        return tuple(
            CommandHelp(
                name,
                self.text("telegram/command.j2", flavour="text", command=name, what="description",
                          example_symbol=example, symbol=name.upper()),
                self.text("telegram/command.j2", flavour="text", command=name, what="example",
                          example_symbol=example, symbol=name.upper()),
            )
            for name in names
        )

    def command_coin(self, command: str) -> tuple[str | None, str | None]:
        """A command no handler took: ``(coin, None)`` when it names a configured or listed
        coin ("/doge"), else ``(None, command suggestion)`` ("/bct" → "btc", "/prise" →
        "price"; ``None`` when nothing is close). A real coin neither configured nor listed
        raises its ``UnknownSymbolError`` ("I don't find PEPE on Binance")."""
        try:
            return self.symbols.resolve(command), None
        except UnknownSymbolError as e:
            if self.symbols.is_known_coin(command):
                raise
            coin_hint = e.suggestion
        match = process.extractOne(command.lower(), COMMANDS, scorer=fuzz.ratio,
                                   score_cutoff=_COMMAND_SCORE)
        if match is not None:
            return None, match[0]
        return None, coin_hint.lower() if coin_hint else None

    def text(self, template: str, flavour: Flavour | None = None, **ctx: Any) -> str:
        """Render one of the transport's own templates (``templates/telegram``)."""
        return render_template(template, flavour or self.flavour, **ctx)

    def error_text(self, kind: str, flavour: Flavour | None = None, **details: Any) -> str:
        """A polite reply for ``kind`` (see ``templates/telegram/error.j2``)."""
        details.setdefault("symbols", self.settings.symbol_names)
        return self.text("telegram/error.j2", flavour, kind=kind, **details)

    async def status_text(self) -> str:
        """Uptime, snapshot ages, missing venues and stored counts, for operators."""
        return await operators_status(self)
