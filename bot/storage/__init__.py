"""Persistence: SQLite through aiosqlite, with versioned migrations."""

from bot.storage.db import PostMessage, Storage, StoredPost

__all__ = ["PostMessage", "Storage", "StoredPost"]
