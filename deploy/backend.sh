#!/bin/sh
# The backend process: REST API (/api), Reflex events (/_event, /_upload, /ping), the interview
# audio WebSocket (/ws), /health and /metrics, in production mode (granian).
# Run by the container image (docker-compose*.yml) and by `make prod-local`.
#   BACKEND_HOST / BACKEND_PORT: where to listen (0.0.0.0:8000)
#   GRANIAN_WORKERS: processes in this backend (Reflex's default is 2 x CPUs + 1 when Reflex
#   keeps its state in Redis: REFLEX_STATE_IN_REDIS=1 -> REFLEX_REDIS_URL from REDIS_URL)
set -eu
exec reflex run --env prod --backend-only \
  --backend-host "${BACKEND_HOST:-0.0.0.0}" --backend-port "${BACKEND_PORT:-8000}" \
  --loglevel "${REFLEX_LOGLEVEL:-warning}"
