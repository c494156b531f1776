"""ccxt without its every-exchange import: only the venue classes the bot uses are loaded.

``import ccxt.async_support`` runs the package ``__init__`` of ``ccxt`` and of
``ccxt.async_support``, which import all ~110 exchange classes twice (sync and async):
about a second and 50 MB for five venues' worth of code. Before anything imports ccxt,
both packages are registered here as modules whose ``__init__`` has not run: importing
``ccxt.async_support.okx`` then loads that venue and the shared base only. A name asked of
either package is looked up in ccxt's base modules (errors, precision, ``Exchange``); any
other name runs the real ``__init__`` right then, so code that wants all of ccxt still gets
it (slower, as before). When ccxt was imported already, nothing is changed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

#: Where each package's re-exported names really live (looked up before a full import).
_SHALLOW: dict[str, tuple[str, ...]] = {
    "ccxt": ("ccxt.base.errors", "ccxt.base.decimal_to_precision", "ccxt.base.exchange",
             "ccxt.base.precise"),
    "ccxt.async_support": ("ccxt.base.errors", "ccxt.base.decimal_to_precision",
                           "ccxt.async_support.base.exchange"),
}


def _lazy_package(name: str) -> None:
    """Register package ``name`` without running its ``__init__`` (run on first need)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def __getattr__(attr: str) -> Any:  # PEP 562: only names not set on the module
        if not attr.startswith("__"):
            for where in _SHALLOW[name]:
                value = getattr(importlib.import_module(where), attr, None)
                if value is not None:
                    setattr(module, attr, value)
                    return value
        module.__dict__.pop("__getattr__", None)
        loader.exec_module(module)  # the whole package, as a plain import would
        return getattr(module, attr)

    module.__dict__["__getattr__"] = __getattr__
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def _install() -> None:
    if "ccxt" in sys.modules:  # imported already (a test, a tool): use it as it is
        return
    for name in _SHALLOW:
        _lazy_package(name)


_install()
#: ``ccxt.base.errors``: RequestTimeout, RateLimitExceeded, BadSymbol, …
errors: ModuleType = importlib.import_module("ccxt.base.errors")


def exchange_class(ccxt_id: str) -> type[Any]:
    """The async ccxt class of ``ccxt_id`` (``"okx"``), importing that venue only."""
    module = importlib.import_module(f"ccxt.async_support.{ccxt_id}")
    cls: type[Any] = getattr(module, ccxt_id)
    return cls
