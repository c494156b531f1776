"""Where the bundled resources (templates/, config.toml) live.

In a checkout or editable install they sit at the project root next to ``bot/``;
in a wheel they are shipped as package data under ``bot/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_PROJECT_ROOT = _PACKAGE_DIR.parent
_PACKAGED = _PACKAGE_DIR / "_data"


def _pick(name: str) -> Path:
    checkout = _PROJECT_ROOT / name
    if checkout.exists() and (_PROJECT_ROOT / "pyproject.toml").exists():
        return checkout
    return _PACKAGED / name


def templates_dir() -> Path:
    """The folder of jinja2 templates."""
    return _pick("templates")


def default_config_path() -> Path:
    """The bundled default ``config.toml``."""
    return _pick("config.toml")


def project_root() -> Path:
    """The checkout root (only meaningful in a checkout)."""
    return _PROJECT_ROOT
