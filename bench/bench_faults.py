"""Fault drills end to end: a cold ``python -m bot digest BTC`` per fault kind × venue.

Every venue is pointed at the fake exchange (``[venues.api_url]``), each run starts
cold (no market list on disk), the shipped retries and backoff apply, and
``timeout_seconds`` is ``--timeout`` (default 3 s). Prints, per scenario, the wall
time (the fastest of ``--repeat`` runs) next to the clean run's (the fastest of the
clean runs interleaved with the scenarios: other load on the machine varies), whether
it met the budget (clean + timeout + 1 s), the exit code and the one line the post
says about what is missing. With ``--quick`` the ``/btc`` quick post (console chat)
is timed too, for the issue's done-when scenarios.

Run: .venv/bin/python bench/bench_faults.py [--timeout 3] [--repeat 1] [--quick]
     [--kinds a,b] [--venues a,b]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.fake_exchange import FakeExchange, running_fake_exchange  # noqa: E402
from tests.fakes.fake_exchange_drills import DERIVATIVES, DRILLS, VENUES, apply, reset  # noqa: E402

#: words that mark the post's statement of what is missing
MISSING_MARKS = ("left out", "unavailable", "mark price", "Missing:", "Stale:", "last good")


async def run(*args: str) -> tuple[float, int, str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    return time.perf_counter() - started, proc.returncode or 0, out.decode(), err.decode()


def missing_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if any(k in ln for k in MISSING_MARKS)]
    return " | ".join(lines)[:160] or "-"


def headline(out: str) -> str:
    try:
        return str(json.loads(out).get("headline", ""))
    except ValueError:
        return ""


class Bench:
    def __init__(self, fx: FakeExchange, folder: Path, timeout: float) -> None:
        self.fx = fx
        self.folder = folder
        self.timeout = timeout
        self.urls = {name: v.url for name, v in fx.venues.items()}

    def config(self) -> Path:
        shutil.rmtree(self.fx.cache_dir, ignore_errors=True)  # cold: no market list on disk
        path = self.fx.write_config(self.folder / "config.toml")
        text = path.read_text().replace("timeout_seconds = 8.0",
                                        f"timeout_seconds = {self.timeout}")
        path.write_text(text.replace("sqlite:///var/market-commentator.sqlite3",
                                     f"sqlite:///{self.folder / 'bench.sqlite3'}"))
        return path

    async def best(self, post: str, venues: tuple[str, ...], kind: str | None,
                   repeat: int) -> tuple[float, int, str]:
        """The fastest of ``repeat`` runs (its exit code and what it said)."""
        runs = [await getattr(self, post)(venues, kind) for _ in range(repeat)]
        return min(runs, key=lambda r: r[0])

    async def digest(self, venues: tuple[str, ...], kind: str | None) -> tuple[float, int, str]:
        reset(self.fx, self.urls)
        if kind is not None:
            apply(self.fx, venues, kind)
        wall, rc, out, err = await run("--config", str(self.config()), "digest", "BTC",
                                       "--format", "json")
        if rc != 0:
            return wall, rc, (err.strip().splitlines() or ["?"])[-1][:160]
        doc = json.loads(out)
        return wall, rc, f"{missing_line(doc['text'])}  [headline: {headline(out)[:60]}]"

    async def quick(self, venues: tuple[str, ...], kind: str | None) -> tuple[float, int, str]:
        reset(self.fx, self.urls)
        if kind is not None:
            apply(self.fx, venues, kind)
        wall, rc, out, err = await run("--config", str(self.config()), "chat", "--say", "/btc")
        text = out if rc == 0 else err
        return wall, rc, missing_line(text)


def verdict(wall: float, budget: float) -> str:
    return "ok " if wall <= budget else "SLOW"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per scenario (fastest kept)")
    parser.add_argument("--quick", action="store_true", help="also time the /btc quick post")
    parser.add_argument("--kinds", default=",".join(DRILLS))
    parser.add_argument("--venues", default=",".join(VENUES))
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    venues = [v for v in args.venues.split(",") if v]
    async with running_fake_exchange() as fx:
        with TemporaryDirectory() as tmp:
            bench = Bench(fx, Path(tmp), args.timeout)
            scenarios: list[tuple[str, str, tuple[str, ...]]] = [
                ("digest", k, (v,)) for k in kinds for v in venues]
            if "timeout" in kinds:
                scenarios.append(("digest", "timeout", DERIVATIVES))
            if args.quick:
                scenarios += [("quick", "timeout", w) for w in (("okx",), DERIVATIVES,
                                                                 ("binance",))]
            await report(bench, scenarios, args.repeat)


async def report(bench: Bench, scenarios: list[tuple[str, str, tuple[str, ...]]],
                 repeat: int) -> None:
    """Each scenario next to a clean run of the same post made just before it; the
    baseline is the fastest clean run (the machine's load varies, the fault's cost not)."""
    rows = []
    cleans: dict[str, list[float]] = {"digest": [], "quick": []}
    for post, kind, where in scenarios:
        clean = await bench.best(post, (), None, repeat)
        cleans[post].append(clean[0])
        rows.append((post, kind, where, await bench.best(post, where, kind, repeat)))
    timeout = bench.timeout
    for post, times in cleans.items():
        if times:
            print(f"{post}: clean {min(times):.2f}s (fastest of {len(times)} interleaved), "
                  f"budget {min(times) + timeout + 1:.2f}s (timeout_seconds={timeout:g})")
    print(f"{'post':<6} {'fault':<16} {'venue':<12} {'wall':>6} {'vs clean':>8}  rc  "
          "what the post says")
    for post, kind, where, (wall, rc, said) in rows:
        base = min(cleans[post])
        name = where[0] if len(where) == 1 else "all perps"
        print(f"{post:<6} {kind:<16} {name:<12} {wall:6.2f} {wall - base:+8.2f}  {rc:>2}  "
              f"{verdict(wall, base + timeout + 1)} {said}")

if __name__ == "__main__":
    asyncio.run(main())
