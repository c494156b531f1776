"""Command line: ``python -m bot {chat,digest,ask,backtest,alerts,run,record}`` (argparse only)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.errors import BotError


def _add_source_args(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--demo", action="store_true", help="use the bundled demo market (offline)")
    group.add_argument("--replay", metavar="DIR", type=Path, help="replay recorded/historic data")
    p.add_argument("--at", metavar="ISO", help="replay/demo moment, e.g. 2026-02-04T12:00:00Z")


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="market-commentator", description="Crypto market commentary bot."
    )
    parser.add_argument("--config", metavar="PATH", type=Path, help="config.toml to use")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="console chat running the bot's handlers")
    _add_source_args(chat)
    chat.add_argument(
        "--say", metavar="TEXT", action="append", help="scripted message (repeatable); then exit"
    )

    digest = sub.add_parser("digest", help="print the market article for a symbol")
    digest.add_argument("symbol", nargs="?", default="BTC")
    _add_source_args(digest)
    digest.add_argument("--format", choices=("text", "html", "json"), default="text")
    digest.add_argument("--chart", metavar="PATH", type=Path, help="also write the chart PNG")
    digest.add_argument("--timeframe", choices=("1h", "4h", "1d"), default="4h",
                        help="chart timeframe (default 4h)")

    ask = sub.add_parser("ask", help="answer a question about a market")
    ask.add_argument("question")
    ask.add_argument("symbol", nargs="?")
    _add_source_args(ask)
    ask.add_argument("--format", choices=("text", "json"), default="text")

    run = sub.add_parser("run", help="run the Telegram bot (token from TELEGRAM_BOT_TOKEN)")
    _add_source_args(run)
    run.add_argument("--webhook", metavar="URL", help="serve a webhook instead of polling")
    run.add_argument("--port", type=int, default=8443, help="webhook listen port")

    sub.add_parser("migrate", help="apply the schema migrations to [storage] url; print versions")

    backtest = sub.add_parser("backtest", help="score the posts' calls on replayed history")
    backtest.add_argument("symbol")
    backtest.add_argument("--replay", metavar="DIR", type=Path, required=True,
                          help="folder of historic data (kline CSVs)")
    backtest.add_argument("--from", dest="start", metavar="ISO", required=True)
    backtest.add_argument("--to", dest="end", metavar="ISO", required=True)
    backtest.add_argument("--every", choices=("1d", "12h", "4h"), default="1d")
    backtest.add_argument("--horizons", default="24h,7d", help="e.g. 24h,7d")
    backtest.add_argument("--format", choices=("text", "json", "csv"), default="text")
    backtest.add_argument("--chart", metavar="PATH", type=Path,
                          help="also draw the record's picture (calibration, hit rate) as PNG")

    alerts = sub.add_parser("alerts", help="replay price alerts: the messages a chat would get")
    alerts.add_argument("--replay", metavar="DIR", type=Path, required=True,
                        help="folder of historic data (kline CSVs)")
    alerts.add_argument("--from", dest="start", metavar="ISO", required=True)
    alerts.add_argument("--to", dest="end", metavar="ISO", required=True)
    alerts.add_argument("--alert", action="append", default=[], metavar="WORDS",
                        help='what /alert takes, e.g. "btc below 72k" (repeatable)')
    alerts.add_argument("--every", default="1h", help="round interval, e.g. 15m, 1h")
    alerts.add_argument("--whales", action=argparse.BooleanOptionalAction, default=True,
                        help="run the whale watcher on the replayed whale snapshots too")
    alerts.add_argument("--whale-min", metavar="USD", default=None,
                        help="the chat's /whalealerts size (default: whales.watch.default_min_usd)")

    record = sub.add_parser("record", help="record live snapshots as replayable JSON lines")
    record.add_argument("directory", type=Path)
    record.add_argument("--symbols", default="BTC", help="comma-separated, e.g. BTC,ETH")
    record.add_argument("--duration", default="1h", help="e.g. 30m, 1h, 2d")
    record.add_argument("--every", default="5m", help="e.g. 30s, 5m")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, load config once, dispatch; one clear line on any bot error."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from bot.cli_commands import dispatch
    from bot.config import load_settings

    try:
        settings = load_settings(args.config)
        return asyncio.run(dispatch(settings, args))
    except BotError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
