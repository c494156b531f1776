"""Persistence: SQLite through aiosqlite, with versioned migrations."""

from bot.storage.db import PostMessage, SavedChatContext, Storage, StoredPost

__all__ = ["PostMessage", "SavedChatContext", "Storage", "StoredPost"]
