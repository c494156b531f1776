"""Digest scheduling.

Pure core: schedules, timezones, slot arithmetic, fan-out planning, digest memory
(``schedule``, ``timezones``, ``slots``, ``fanout_plan``, ``digest``). With effects:
``jobs`` (PTB JobQueue), ``fanout`` (render once, send per chat), ``runner`` (jobs from the
database, start-up recovery).
"""
