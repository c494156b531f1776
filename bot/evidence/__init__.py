"""Evidence: what history says about the next 24 hours and 7 days, and how calls fared.

- ``setups``: the daily market state (trend setup) of every closed bar, vectorised.
- ``odds``: walk-forward conditional base rates for the current setup (``Odds``).
- ``calls``: the calls a post makes, as typed records (shared by backtest and track record).
- ``grading``: outcomes of a call on the price path after it (shared by both as well).
- ``scoring``: hit rates with Wilson intervals, Brier scores, reliability tables.
- ``backtest``: the runner behind ``python -m bot backtest``.

Nothing here writes words: templates do.
"""
