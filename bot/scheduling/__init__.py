"""Digest scheduling: schedules, timezones, slot arithmetic and fan-out planning (pure)."""
