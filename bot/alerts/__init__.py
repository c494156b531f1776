"""Alerts (domain): price rules, their parsing and their pure evaluation against a price.

No I/O here: the application (``bot.app.alerts``) stores rules, fetches one snapshot per
symbol per round and asks :func:`bot.alerts.evaluate.evaluate` what each rule does.
"""

from bot.alerts.evaluate import Observation, Verdict, evaluate, observe
from bot.alerts.rules import AlertRequest, AlertRule, make_rule, parse_alert

__all__ = ["AlertRequest", "AlertRule", "Observation", "Verdict", "evaluate", "make_rule",
           "observe", "parse_alert"]
