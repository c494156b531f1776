# market-commentator: a slim image with the bot, non-root, with a health check.
# Build: docker build -t market-commentator .   Run with PostgreSQL: docker compose up
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml setup.py README.md config.toml ./
COPY bot ./bot
COPY templates ./templates
# TA-Lib (its wheels bundle the C library), numpy and psycopg come as binary wheels, so
# neither stage needs a compiler; the final stage copies only the virtualenv
RUN python -m venv /opt/venv && /opt/venv/bin/pip install .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 MPLCONFIGDIR=/tmp/matplotlib \
    BOT_MODE=polling WEBHOOK_PORT=8443
RUN useradd --create-home --uid 10001 bot
COPY --from=build /opt/venv /opt/venv
USER bot
# relative paths of the bundled config (the SQLite file, market lists) resolve here
WORKDIR /home/bot/data
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot.container_health"]
CMD ["sh", "-c", "if [ \"$BOT_MODE\" = webhook ]; then exec python -m bot run --webhook \"$WEBHOOK_URL\" --port \"$WEBHOOK_PORT\"; else exec python -m bot run; fi"]
