"""One aiohttp server on 127.0.0.1 (random port) for the fakes (REST and websocket)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def serve_on_loopback(handler: Handler, method: str = "*") -> web.AppRunner:
    """A started server on 127.0.0.1 sending every path to ``handler``; its port is
    ``runner.addresses[0][1]``."""
    app = web.Application()
    app.router.add_route(method, "/{tail:.*}", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner
