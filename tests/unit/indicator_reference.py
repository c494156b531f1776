"""Independent numpy reference indicators (textbook definitions, Wilder smoothing).

Written from the definitions, not from TA-Lib: seeds are simple means of the first
``n`` values and differences in seeding decay geometrically, so on a few hundred bars
the last values agree with any correct implementation to well under 1e-6.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def sma(x: Array, n: int) -> float:
    """Mean of the last ``n`` values."""
    return float(np.mean(x[-n:]))


def ema_series(x: Array, n: int) -> Array:
    """EMA with alpha 2/(n+1), seeded by the mean of the first ``n`` values."""
    out = np.full(len(x), np.nan)
    alpha = 2.0 / (n + 1)
    out[n - 1] = np.mean(x[:n])
    for i in range(n, len(x)):
        out[i] = alpha * x[i] + (1 - alpha) * out[i - 1]
    return out


def wilder(x: Array, n: int) -> Array:
    """Wilder's running average of x[1:], first value the mean of x[1..n] at index n."""
    out = np.full(len(x), np.nan)
    out[n] = np.mean(x[1 : n + 1])
    for i in range(n + 1, len(x)):
        out[i] = out[i - 1] + (x[i] - out[i - 1]) / n
    return out


def rsi(close: Array, n: int = 14) -> float:
    """Wilder's RSI at the last bar."""
    change = np.diff(close, prepend=close[0])
    gain = wilder(np.clip(change, 0, None), n)[-1]
    loss = wilder(np.clip(-change, 0, None), n)[-1]
    return float(100.0 * gain / (gain + loss))


def true_range(high: Array, low: Array, close: Array) -> Array:
    """True range (index 0 is unused by the Wilder averages)."""
    prev = np.concatenate([close[:1], close[:-1]])
    return np.maximum(high - low, np.maximum(abs(high - prev), abs(low - prev)))


def atr(high: Array, low: Array, close: Array, n: int = 14) -> float:
    """Wilder's average true range at the last bar."""
    return float(wilder(true_range(high, low, close), n)[-1])


def dmi(high: Array, low: Array, close: Array, n: int = 14) -> tuple[float, float, float]:
    """(+DI, −DI, ADX) at the last bar, Wilder-smoothed."""
    up = np.diff(high, prepend=high[0])
    down = -np.diff(low, prepend=low[0])
    plus_dm = np.where((up > down) & (up > 0), up, 0.0)
    minus_dm = np.where((down > up) & (down > 0), down, 0.0)
    tr = wilder(true_range(high, low, close), n)
    plus_di = 100.0 * wilder(plus_dm, n) / tr
    minus_di = 100.0 * wilder(minus_dm, n) / tr
    dx = 100.0 * abs(plus_di - minus_di) / (plus_di + minus_di)
    adx = np.full(len(dx), np.nan)
    first = 2 * n - 1
    adx[first] = np.mean(dx[n : first + 1])
    for i in range(first + 1, len(dx)):
        adx[i] = adx[i - 1] + (dx[i] - adx[i - 1]) / n
    return float(plus_di[-1]), float(minus_di[-1]), float(adx[-1])


def macd(
    close: Array, fast: int = 12, slow: int = 26, signal: int = 9
) -> tuple[float, float, float]:
    """(MACD, signal, histogram) at the last bar."""
    line = ema_series(close, fast) - ema_series(close, slow)
    valid = line[slow - 1 :]
    sig = ema_series(valid, signal)[-1]
    return float(line[-1]), float(sig), float(line[-1] - sig)
