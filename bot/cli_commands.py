"""What each CLI subcommand does, given validated settings and parsed arguments."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli_args import parse_duration, parse_when
from bot.config import Settings
from bot.errors import BadArgumentError, UnknownSymbolError
from bot.market.source import MarketSource
from bot.symbols import SymbolResolver


def resolve_symbol(settings: Settings, text: str, live: bool = False) -> str:
    """A configured symbol name for ``text`` (name or alias), else UnknownSymbolError; on
    live data a word close to no configured symbol is left to the live source, which
    resolves it against the spot venue's market list ("doge")."""
    try:
        return SymbolResolver(settings).resolve(text)
    except UnknownSymbolError as e:
        if live and e.suggestion is None:
            return text.strip()
        raise


def is_live(args: argparse.Namespace) -> bool:
    """Whether the arguments ask for live venues (neither ``--demo`` nor ``--replay``)."""
    return not getattr(args, "demo", False) and getattr(args, "replay", None) is None


async def open_source(settings: Settings, args: argparse.Namespace) -> MarketSource:
    """The market source the arguments ask for: demo, replay or live (default)."""
    at = parse_when(getattr(args, "at", None))
    if getattr(args, "demo", False):
        from bot.market.demo import DemoSource

        return DemoSource(settings, at=at)
    if getattr(args, "replay", None) is not None:
        from bot.market.replay import ReplaySource

        return ReplaySource(args.replay, at, settings)
    if at is not None:
        raise BadArgumentError("--at needs --demo or --replay DIR (live data is always now)")
    from bot.market.ccxt_source import CcxtSource

    live = CcxtSource(settings)
    await live.start()
    return live


async def cmd_digest(settings: Settings, args: argparse.Namespace) -> int:
    """Print the article (text, Telegram HTML messages, or JSON)."""
    from bot.analysis import analyse
    from bot.analysis.serialize import analysis_to_json
    from bot.commentary import render_article

    symbol = resolve_symbol(settings, args.symbol, is_live(args))
    if args.chart is not None and not args.chart.parent.is_dir():
        raise BadArgumentError(f"--chart {args.chart}: folder {args.chart.parent} does not exist")
    source = await open_source(settings, args)
    try:
        snapshot = await source.snapshot(symbol)
    finally:
        await source.close()
    analysis = analyse(snapshot, settings)
    post = render_article(analysis, chat_id=0, flavour="html" if args.format == "html" else "text")
    if args.format == "json":
        doc = analysis_to_json(analysis)
        doc["headline"] = post.headline
        doc["text"] = "\n\n".join(post.messages)
        print(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False))
    elif args.format == "html":
        print("\n-----\n".join(post.messages))
    else:
        print("\n\n".join(post.messages))
    if args.chart is not None:
        from bot.commentary.charts import render_chart

        png = await render_chart(snapshot, analysis, args.timeframe, settings.indicators.dmi)
        try:
            args.chart.write_bytes(png)
        except OSError as e:
            raise BadArgumentError(f"--chart {args.chart}: {e.strerror or e}") from e
    return 0


async def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer one question; JSON {intent, topic, symbol, answer} or the answer text."""
    from bot.qa.cli import ask

    source = await open_source(settings, args)
    try:
        result = await ask(settings, source, args.question, args.symbol)
    finally:
        await source.close()
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(result["answer"])
    return 0


async def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    """The console chat: the bot's own handlers behind a terminal prompt."""
    from bot.console import run_console

    source = await open_source(settings, args)
    try:
        return await run_console(settings, source, args.say)
    finally:
        await source.close()


async def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the Telegram bot (polling, or a webhook with --webhook)."""
    from bot.app.codec import ANALYSIS_CODEC
    from bot.storage import Storage
    from bot.telegram.app import run_bot

    # a storage fault stops us first (pickled posts of before are upgraded here)
    storage = await Storage.open(settings.database_path(), codec=ANALYSIS_CODEC)
    try:
        source = await open_source(settings, args)
        try:
            await run_bot(settings, source, webhook_url=args.webhook, port=args.port,
                          storage=storage)
        finally:
            await source.close()
    finally:
        await storage.close()
    return 0


async def cmd_record(settings: Settings, args: argparse.Namespace) -> int:
    """Poll the live source and write replayable JSON-lines snapshots."""
    from bot.market.record import record

    symbols = [resolve_symbol(settings, s) for s in args.symbols.split(",") if s.strip()]
    duration = parse_duration(args.duration).total_seconds()
    every = parse_duration(args.every).total_seconds()
    count = await record(settings, args.directory, symbols, duration, every)
    return 0 if count > 0 else 1


async def cmd_backtest(settings: Settings, args: argparse.Namespace) -> int:
    """Score the posts' calls over a replayed period beside the baselines."""
    from bot.cli_backtest import backtest

    symbol = resolve_symbol(settings, args.symbol)
    print(backtest(settings, symbol, args), end="")
    return 0


async def cmd_alerts(settings: Settings, args: argparse.Namespace) -> int:
    """Replay price alerts and print the messages a chat would have received."""
    from bot.cli_alerts import replay_alerts

    return await replay_alerts(settings, args)


async def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    """Apply the schema migrations to ``[storage] url`` and print the versions."""
    from bot.commentary.render import render_template
    from bot.storage import Storage
    from bot.storage.migrations import MIGRATIONS, latest_version

    before = await Storage.version_of(settings.database_path())
    storage = await Storage.open(settings.database_path())
    try:
        after = await storage.schema_version()
        print(render_template("ops/migrate.j2", "text", engine=storage.engine,
                              location=storage.location, before=before, after=after,
                              applied=[m for m in MIGRATIONS if before < m.version <= after]))
    finally:
        await storage.close()
    return 0 if after == latest_version() else 1


COMMANDS = {
    "alerts": cmd_alerts,
    "migrate": cmd_migrate,
    "backtest": cmd_backtest,
    "digest": cmd_digest,
    "ask": cmd_ask,
    "chat": cmd_chat,
    "run": cmd_run,
    "record": cmd_record,
}


async def dispatch(settings: Settings, args: argparse.Namespace) -> int:
    """Run the subcommand named in ``args`` (number formats follow ``settings.locale``)."""
    from bot.commentary import set_locale

    set_locale(settings.locale)
    rc = await COMMANDS[args.command](settings, args)
    sys.stdout.flush()
    return rc
