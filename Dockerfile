# syntax=docker/dockerfile:1.7
# Three targets from one build:
#   builder  - Python deps + bun (from npm) + the static frontend (`reflex export --frontend-only`)
#   dev      - the builder with its tools, running `reflex run --env dev` (docker-compose.yml)
#   runtime  - slim, non-root Python image: the backend (default command) or an RQ worker
#              (`python -m interviewer worker --queues ...`) or the prestart step (deploy/prestart.sh)
#   proxy    - nginx serving the static frontend and proxying the backend routes over TLS
#              (deploy/nginx/interviewer.conf.template; see docker-compose.prod.yml)
# `make prod-local` runs the same commands and the same nginx template without Docker.

FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_DIR=/build/.reflex REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false \
    BUN_INSTALL_CACHE_DIR=/build/.bun-cache
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm make build-essential curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements*.txt ./
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt -r requirements-genai.txt \
    -r requirements-extract.txt
COPY Makefile ./
RUN make .reflex/bun/bin/bun PY=/opt/venv/bin/python
COPY . .
# The URL the browser reaches the backend at. The default, https://localhost, means "this page's
# own host on port 443" to Reflex's frontend (it swaps localhost for the page's host name), which
# is right behind the proxy on any domain; set the public origin when the site is on another port.
ARG PUBLIC_URL=https://localhost
RUN REFLEX_API_URL="${PUBLIC_URL}" /opt/venv/bin/reflex export --frontend-only --no-zip --env prod \
    && test -f .web/build/client/index.html && test -f .web/build/nginx-csp.conf \
    && test -f .web/build/nginx-routes.conf

FROM builder AS dev
ENV PATH=/opt/venv/bin:$PATH DATA_DIR=/data
EXPOSE 3000 8000
CMD ["reflex", "run", "--env", "dev", "--backend-host", "0.0.0.0"]

FROM python:3.11-slim AS runtime
ENV PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH ENVIRONMENT=production \
    REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false REFLEX_ENV_MODE=prod \
    REFLEX_DIR=/home/app/.reflex REFLEX_WEB_WORKDIR=/home/app/.web REFLEX_STATES_WORKDIR=/home/app/.states \
    REFLEX_STATE_IN_REDIS=1 DATA_DIR=/data BACKEND_HOST=0.0.0.0 BACKEND_PORT=8000
RUN apt-get update && apt-get install -y --no-install-recommends curl libpq5 wordnet-base \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 app && mkdir -p /data && chown app:app /data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY --chown=app:app --from=builder /build/interviewer ./interviewer
COPY --chown=app:app --from=builder /build/alembic ./alembic
COPY --chown=app:app --from=builder /build/assets ./assets
COPY --chown=app:app --from=builder /build/alembic.ini /build/rxconfig.py ./
COPY --chown=app:app deploy/prestart.sh deploy/backend.sh ./deploy/
USER app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${BACKEND_PORT}/health" || exit 1
# Backend (REST API, Reflex events, audio WebSocket). Workers and the prestart step override it.
CMD ["deploy/backend.sh"]

FROM nginx:1.27-alpine AS proxy
# The official image renders /etc/nginx/templates/*.template with envsubst at start.
ENV NGINX_HTTP_PORT=80 NGINX_HTTPS_PORT=443 NGINX_HTTPS_ORIGIN=https://\$host \
    NGINX_BACKEND_SERVERS="server backend:8000;" \
    NGINX_TLS_CERT=/etc/nginx/tls/cert.pem NGINX_TLS_KEY=/etc/nginx/tls/key.pem \
    NGINX_STATIC_ROOT=/usr/share/nginx/html NGINX_ACCESS_LOG=/dev/stdout NGINX_EXTRA_HEADERS="" \
    NGINX_METRICS_ALLOW="allow 127.0.0.1; allow 10.0.0.0/8; allow 172.16.0.0/12; allow 192.168.0.0/16;" \
    NGINX_CSP_CONF=/etc/nginx/interviewer-csp.conf NGINX_ROUTES_CONF=/etc/nginx/interviewer-routes.conf
RUN rm -f /etc/nginx/conf.d/default.conf
COPY deploy/nginx/interviewer.conf.template /etc/nginx/templates/default.conf.template
COPY --from=builder /build/.web/build/client /usr/share/nginx/html
# Content-Security-Policy + X-Frame-Options for the built pages (their inline script hashes),
# written by the build (interviewer/web_security.py).
COPY --from=builder /build/.web/build/nginx-csp.conf /etc/nginx/interviewer-csp.conf
# The app's page routes with a path parameter (interviewer/web_routes.py): other unknown paths are 404s.
COPY --from=builder /build/.web/build/nginx-routes.conf /etc/nginx/interviewer-routes.conf
EXPOSE 80 443
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1/health || exit 1
