"""Issue #18's figures against the fake exchange, each next to its floor or target, in one run.

    .venv/bin/python bench/bench_perf.py [--repeat 3] [--only chart,console,telegram,cold,trips,rss]

* chart: a repeated ``/chart btc`` in the console chat (live source → fake exchange),
  median of the repeats after the first, and how many charts were drawn (target 25 ms);
* console: a warm ``/btc`` in the console chat: median time until the reply is printed
  (target 2 ms), and until the update is handled (its message linked to the stored post);
* telegram: a warm ``/btc`` through the real PTB Application polling the fake Bot API,
  live source → fake exchange; the bot's own time is from the moment the bot's HTTP
  client has the getUpdates answer carrying the update to the moment it begins the
  sendMessage that answers it (p50 target 5 ms); beside it ``/start`` (a fixed text:
  what the transport costs on its own) and the time seen by the fake server (which runs
  in this process and so shares its CPU);
* cold: ``python -m bot digest BTC`` in a fresh process with no market list on disk,
  beside the import floor (``python -c "import ccxt.async_support, talib, jinja2, numpy,
  babel"``, the issue's floor) and the strict floor (the same libraries imported the way
  the bot imports them: five ccxt venue modules only, TA-Lib without pandas), both
  measured in the same run (target 1.75 × the floor);
* trips: a cold snapshot (a fresh live source in this process: market lists, then every
  metric) with every venue answering 1 s late: the round trips of its dependency chain,
  counted as the bursts of requests the fake exchange sees (target 2), and the seconds it
  takes more than at 0 s latency (≈ the round trips + CPU spent on answers that arrive
  together); again with the market lists kept on disk (target 1). In-process, so the
  subprocess's import time and its noise stay out of it;
* rss: peak resident set of ``python -m bot chat --say /btc --say "/chart btc"`` (live,
  fake exchange) (target 250 MB).

Each figure is the median of ``--repeat`` runs (subprocess figures interleave ours with
the floor's). The machine is shared: other processes' load shows up as noise, never as a
saving, so compare ratios measured in the same run rather than absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings, load_settings  # noqa: E402
from bot.console import console_session  # noqa: E402
from bot.market.ccxt_source import CcxtSource  # noqa: E402
from tests.e2e.bot_fixtures import bot_settings, running_bot  # noqa: E402
from tests.fakes.fake_bot_api import FakeBotApi  # noqa: E402
from tests.fakes.fake_exchange import FakeExchange, running_fake_exchange  # noqa: E402

ISSUE_FLOOR = "import ccxt.async_support, talib, jinja2, numpy, babel"
#: what a digest needs, imported the way the bot imports it (ccxt's five venue modules
#: without its every-exchange __init__, TA-Lib without pandas)
STRICT_FLOOR = ("from bot.market.ccxt_lean import exchange_class; "
                "[exchange_class(v) for v in ('binance', 'binanceusdm', 'okx', 'bybit', "
                "'hyperliquid')]; from bot.analysis.talib_lean import talib; "
                "import jinja2, numpy, babel")
PEAK_RSS = ("import atexit, resource, runpy, sys; atexit.register(lambda: print("
            "'peak-rss-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr));"
            " sys.argv = ['bot', *sys.argv[1:]]; runpy.run_module('bot', run_name='__main__')")
TARGETS = {"chart": 25.0, "console": 2.0, "telegram": 5.0, "cold": 1.75, "trips": 2.0,
           "trips_kept": 1.0, "rss": 250.0}


def med(values: list[float]) -> float:
    return statistics.median(values)


def line(name: str, ours: float, unit: str, target: float, extra: str = "") -> None:
    verdict = "ok" if ours <= target else "OVER"
    print(f"{name:<44} {ours:9.2f} {unit:<3} target {target:7.2f}  {verdict:<4} {extra}",
          flush=True)


def live(fx: FakeExchange, base: Settings) -> Settings:
    return fx.settings(base)


async def timed(fn: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await fn()
    return (time.perf_counter() - started) * 1000


class TimedOut(io.StringIO):
    """The console's output, remembering when it was last written to (a reply printed)."""

    last = 0.0

    def write(self, text: str) -> int:
        self.last = time.perf_counter()
        return super().write(text)


async def console_figures(fx: FakeExchange, base: Settings, n: int) -> None:
    settings = live(fx, base)
    source = CcxtSource(settings)
    await source.start()
    await source.markets_ready(60)
    out = TimedOut()
    try:
        async with console_session(settings, source, out) as (chat, service):
            first = await timed(lambda: chat.say("/chart btc"))
            repeats = [await timed(lambda: chat.say("/chart btc")) for _ in range(max(5, n))]
            renders = getattr(service, "chart_renders", None)
            line("chart: repeated /chart btc (median)", med(repeats), "ms", TARGETS["chart"],
                 f"first {first:.0f} ms; charts drawn for {1 + len(repeats)} requests: "
                 f"{renders if renders is not None else 'not counted'}")
            await chat.say("/btc")
            quick, handled = [], []
            for _ in range(max(50, n)):
                started = time.perf_counter()
                await chat.say("/btc")
                quick.append((out.last - started) * 1000)
                handled.append((time.perf_counter() - started) * 1000)
            line("console: warm /btc, until printed (median)", med(quick), "ms",
                 TARGETS["console"], f"p90 {statistics.quantiles(quick, n=10)[-1]:.2f} ms; "
                 f"until handled (its message linked to the post) {med(handled):.2f} ms")
    finally:
        await source.close()


class BotClock:
    """When the bot's HTTP client got each update and when it began each send (by chat):
    the bot's own time between the two, without the fake server's time on either side."""

    def __init__(self) -> None:
        self.received: dict[int, float] = {}  # chat → getUpdates answer carrying its text
        self.sending: dict[int, float] = {}  # chat → first sendMessage/sendPhoto begun

    def install(self) -> Callable[[], None]:
        from telegram.request import HTTPXRequest

        original = HTTPXRequest.do_request
        clock = self

        async def do_request(self: HTTPXRequest, url: str, method: str,
                             request_data: Any = None, *args: Any, **kwargs: Any
                             ) -> tuple[int, bytes]:
            api = url.rsplit("/", 1)[-1]
            if api in ("sendMessage", "sendPhoto") and request_data is not None:
                chat = int(request_data.parameters.get("chat_id", 0))
                clock.sending.setdefault(chat, time.perf_counter())
            answer = await original(self, url, method, request_data, *args, **kwargs)
            if api == "getUpdates":
                now = time.perf_counter()
                for update in json.loads(answer[1]).get("result", []):
                    chat = (update.get("message") or {}).get("chat", {}).get("id")
                    if chat is not None:
                        clock.received.setdefault(int(chat), now)
            return answer

        HTTPXRequest.do_request = do_request  # type: ignore[method-assign]
        return lambda: setattr(HTTPXRequest, "do_request", original)

    def own_ms(self, chat: int) -> float:
        return (self.sending[chat] - self.received[chat]) * 1000


async def telegram_figures(fx: FakeExchange, base: Settings, n: int) -> None:
    api = FakeBotApi()
    await api.start()
    os.environ["TELEGRAM_BOT_TOKEN"] = api.token
    os.environ["TELEGRAM_API_URL"] = api.base_url
    with tempfile.TemporaryDirectory() as tmp:
        settings = live(fx, bot_settings(base, Path(tmp) / "bench.sqlite3"))
        source = CcxtSource(settings)
        await source.start()
        await source.markets_ready(60)
        own: dict[str, list[float]] = {"/btc": [], "/start": []}
        served: list[float] = []
        clock = BotClock()
        uninstall = clock.install()
        try:
            async with running_bot(api, settings, source):
                for chat in range(1, 1 + n + 3):
                    for offset, text in ((0, "/btc"), (100_000, "/start")):
                        # /start: a fixed text, what the transport costs on its own
                        update_id = api.send_text(chat + offset, text)
                        [reply] = await api.wait_sent(chat + offset, 1, timeout=60)
                        if chat > 3:  # the first replies warm the caches
                            own[text].append(clock.own_ms(chat + offset))
                            if text == "/btc":
                                served.append((reply.at - api.delivered[update_id]) * 1000)
                        await asyncio.sleep(0.1)  # 10/s: below the ~30 messages/s limiter
        finally:
            uninstall()
            await source.close()
            await api.stop()
    ours, floor = own["/btc"], own["/start"]
    line("telegram: warm /btc, bot's own time (p50)", med(ours), "ms", TARGETS["telegram"],
         f"p90 {statistics.quantiles(ours, n=10)[-1]:.2f} ms; /start (fixed text: the "
         f"transport's floor) p50 {med(floor):.2f} ms; with the fake server's time "
         f"p50 {med(served):.2f} ms")


async def run(*args: str, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=ROOT, env=env or _env(),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"{args} exited {proc.returncode}: {err.decode()[-800:]}")
    return wall, proc.returncode or 0, err.decode()


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL")}


def write_config(fx: FakeExchange, folder: Path) -> Path:
    path = fx.write_config(folder / "config.toml")
    text = path.read_text().replace("sqlite:///var/market-commentator.sqlite3",
                                    f"sqlite:///{folder / 'bench.sqlite3'}")
    path.write_text(text)
    return path


async def digest(fx: FakeExchange, config: Path, *, kept: bool, latency: float) -> float:
    if not kept:
        shutil.rmtree(fx.cache_dir, ignore_errors=True)
    fx.set_latency(latency)
    try:
        wall, _, _ = await run("-m", "bot", "--config", str(config), "digest", "BTC",
                               "--format", "json")
    finally:
        fx.set_latency(0.0)
    return wall


async def cold_snapshot(fx: FakeExchange, settings: Settings, *, kept: bool,
                        latency: float) -> float:
    """Seconds from a fresh source's start to its first BTC snapshot."""
    if not kept:
        shutil.rmtree(fx.cache_dir, ignore_errors=True)
    fx.set_latency(latency)
    source = CcxtSource(settings)
    try:
        started = time.perf_counter()
        await source.start()
        await source.snapshot("BTC")
        return time.perf_counter() - started
    finally:
        fx.set_latency(0.0)
        await source.close()


async def trip_figures(fx: FakeExchange, base: Settings, repeat: int) -> None:
    settings = live(fx, base)
    await cold_snapshot(fx, settings, kept=False, latency=0.0)  # imports, caches warm
    for kept, target in ((False, TARGETS["trips"]), (True, TARGETS["trips_kept"])):
        extra, waves = [], []
        for _ in range(repeat):
            fast = await cold_snapshot(fx, settings, kept=kept, latency=0.0)
            fx.reset_counts()
            slow = await cold_snapshot(fx, settings, kept=kept, latency=1.0)
            waves.append(fx.request_waves(0.5))
            extra.append(slow - fast)
        name = "trips: round trips at 1 s" + (", kept list" if kept else "")
        line(name, med([float(w) for w in waves]), "", target,
             f"request waves {waves}; seconds more than at 0 s: median {med(extra):.2f} ("
             + ", ".join(f"{e:.2f}" for e in extra) + ")")


async def process_figures(fx: FakeExchange, repeat: int, parts: set[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(fx, Path(tmp))
        await digest(fx, config, kept=False, latency=0.0)  # warm the OS file cache
        if "cold" in parts:
            floor, strict, cold = [], [], []
            for _ in range(repeat):
                floor.append((await run("-c", ISSUE_FLOOR))[0])
                strict.append((await run("-c", STRICT_FLOOR))[0])
                cold.append(await digest(fx, config, kept=False, latency=0.0))
            ratio = med(cold) / med(floor)
            line("cold: digest BTC / import floor", ratio, "×", TARGETS["cold"],
                 f"digest {med(cold):.2f} s, floor {med(floor):.2f} s, strict floor "
                 f"{med(strict):.2f} s (digest / strict {med(cold) / med(strict):.2f})")
        if "rss" in parts:
            peaks = []
            for _ in range(repeat):
                _, _, err = await run("-c", PEAK_RSS, "--config", str(config), "chat",
                                      "--say", "/btc", "--say", "/chart btc")
                kb = [int(w.split()[1]) for w in err.splitlines() if w.startswith("peak-rss-kb")]
                peaks.append(kb[-1] / 1024)
            line("rss: chart session peak", med(peaks), "MB", TARGETS["rss"],
                 "runs: " + ", ".join(f"{p:.0f}" for p in peaks))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="chart,console,telegram,cold,trips,rss")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    logging.basicConfig(level=logging.CRITICAL)
    base = load_settings()
    print(f"median of {args.repeat} runs; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} (shared machine)", flush=True)
    async with running_fake_exchange() as fx:
        if parts & {"chart", "console"}:
            await console_figures(fx, base, 10)
        if "telegram" in parts:
            await telegram_figures(fx, base, 60)
        if "trips" in parts:
            await trip_figures(fx, base, args.repeat)
        if parts & {"cold", "rss"}:
            await process_figures(fx, args.repeat, parts)


if __name__ == "__main__":
    asyncio.run(main())
