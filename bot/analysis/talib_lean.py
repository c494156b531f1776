"""TA-Lib without pandas: its optional Series wrappers are not loaded (we pass numpy arrays).

``import talib`` imports pandas (and polars, when installed) to wrap every function for
Series input: ~0.4 s and ~30 MB that a digest never uses. While talib is imported, pandas
is marked absent, so talib keeps its plain numpy functions; pandas itself is left
importable for whoever needs it later (the charts). When pandas is loaded already,
talib is imported as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _import_talib() -> ModuleType:
    if "talib" in sys.modules or "pandas" in sys.modules:
        import talib as loaded

        return loaded
    sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        import talib as lean
    finally:
        del sys.modules["pandas"]
    return lean


talib = _import_talib()
