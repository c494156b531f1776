"""Evidence: how the calls posts make fared (the odds themselves are ``bot.analysis.odds``).

- ``calls``: the calls a post makes, as typed records (shared by backtest and track record).
- ``grading``: outcomes of a call on the price path after it (shared by both as well).
- ``scoring``: hit rates with Wilson intervals, Brier scores, reliability tables.
- ``backtest``: the runner behind ``python -m bot backtest`` (``bot/cli_backtest.py``).

Nothing here writes words: templates do.
"""
