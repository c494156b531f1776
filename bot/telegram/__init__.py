"""The Telegram transport: Application wiring (``app``), handlers, keyboards, flood control.

Entry points: ``bot.telegram.app.build_application`` and ``run_bot``; the console
chat (``bot.console.run_console``) runs the same handlers offline.
"""
