"""Reflex configuration. Database, Redis and CORS come from the application settings."""

import os

import reflex as rx

from interviewer.core.config import get_settings
from interviewer.web_routes import RoutesPlugin
from interviewer.web_security import SecurityHeadersPlugin

_settings = get_settings()
# Reflex keeps per-tab state in Redis only when asked (production / several backend workers).
_state_redis = _settings.REDIS_URL if os.environ.get("REFLEX_STATE_IN_REDIS") == "1" else None

config = rx.Config(
    app_name="interviewer",
    db_url=_settings.sqlalchemy_url,
    redis_url=_state_redis,
    cors_allowed_origins=_settings.CORS_ORIGINS,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.SitemapPlugin(),
        rx.plugins.RadixThemesPlugin(theme=rx.theme(appearance="light", accent_color="indigo", radius="medium")),
        # Content-Security-Policy and anti-framing headers on the UI pages (docs/security.md).
        SecurityHeadersPlugin(),
        # The page routes for the production proxy, so unknown paths answer 404 (interviewer/web_routes.py).
        RoutesPlugin(),
    ],
)
