"""Per-venue ``api_url`` override: point every ccxt API URL at another scheme and host.

ccxt keeps a venue's endpoints in ``exchange.urls['api']`` as a string, a dict of
strings or nested dicts; some use a ``{hostname}`` template (okx, bybit,
hyperliquid). The override keeps each URL's path, so ``https://fapi.binance.com/fapi/v1``
with base ``http://127.0.0.1:8080`` becomes ``http://127.0.0.1:8080/fapi/v1``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit


def rebase_url(url: str, base: str) -> str:
    """``url`` with the scheme and host (and any path prefix) of ``base``."""
    target = urlsplit(base)
    parts = urlsplit(url)
    path = target.path.rstrip("/") + parts.path
    return urlunsplit((target.scheme, target.netloc, path, parts.query, parts.fragment))


def rebase_api_urls(api: Any, base: str) -> Any:
    """A copy of a ccxt ``urls['api']`` value with every URL rebased onto ``base``."""
    if isinstance(api, str):
        return rebase_url(api, base) if "://" in api else api
    if isinstance(api, dict):
        return {key: rebase_api_urls(value, base) for key, value in api.items()}
    if isinstance(api, list | tuple):
        return [rebase_api_urls(value, base) for value in api]
    return api


def apply_api_url(exchange: Any, base: str) -> None:
    """Rebase all of ``exchange``'s API URLs onto ``base`` in place."""
    exchange.urls["api"] = rebase_api_urls(exchange.urls["api"], base)
