"""Persistence: SQLite (aiosqlite) or PostgreSQL (psycopg 3), with versioned migrations."""

from bot.storage.db import PostMessage, SavedChatContext, Storage, StoredPost

__all__ = ["PostMessage", "SavedChatContext", "Storage", "StoredPost"]
