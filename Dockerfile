# syntax=docker/dockerfile:1.7
# Multi-stage build: the static frontend is built with `reflex export`; the runtime is a slim,
# non-root Python image running the backend (REST API, Reflex events, audio WebSocket) or a worker.

FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_DIR=/build/.reflex REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm unzip build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements*.txt ./
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt
COPY Makefile ./
RUN make .reflex/bun/bin/bun PY=/opt/venv/bin/python
COPY . .
ARG API_URL=""
# Static frontend (HTML/JS/CSS) that talks to the backend at API_URL (same origin when empty).
RUN REFLEX_API_URL="${API_URL}" /opt/venv/bin/reflex export --frontend-only --no-zip --env prod

FROM python:3.11-slim AS runtime
ENV PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH ENVIRONMENT=production \
    REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false REFLEX_ENV_MODE=prod \
    DATA_DIR=/data
RUN apt-get update && apt-get install -y --no-install-recommends curl libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 app && mkdir -p /data && chown app /data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY --chown=app:app --from=builder /build/interviewer ./interviewer
COPY --chown=app:app --from=builder /build/alembic ./alembic
COPY --chown=app:app --from=builder /build/assets ./assets
COPY --chown=app:app --from=builder /build/alembic.ini /build/rxconfig.py ./
COPY --chown=app:app --from=builder /build/.web/build/client ./static
COPY --chown=app:app deploy/prestart.sh ./deploy/prestart.sh
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/health || exit 1
# The backend; run the worker with: python -m interviewer worker --queues high,default,email
CMD ["sh", "-c", "deploy/prestart.sh && exec reflex run --env prod --backend-only --backend-host 0.0.0.0 --backend-port 8000"]
