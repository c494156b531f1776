"""Follow-up questions: understand a chat question and answer it from an analysis.

Pure pieces, called by the Telegram handlers and by ``python -m bot ask``:

- ``match.match_question(text, settings) -> Match``: intent (or ``unknown``), explain topic,
  symbol, confidence, and whether it is a bare "and eth?" follow-up.
- ``context.resolve(match, replied_post, chat_context, default_symbol) -> Resolution``:
  the intent and symbol really asked, and whether to answer from the replied-to post's
  stored analysis or the current snapshot; ``context.remember`` keeps the chat's last intent.
- ``answer.answer_question(resolution_or_match, analysis, flavour, symbols) -> str``.
- ``cli.ask(settings, source, question, symbol=None) -> dict``.
"""
