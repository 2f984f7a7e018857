"""The Reflex app: the REST API is mounted underneath via api_transformer; pages are registered here.

The Radix theme is configured in rxconfig.py (RadixThemesPlugin)."""

import reflex as rx

from interviewer.api.app import create_api
from interviewer.components.skeleton import hydrate_fallback
from interviewer.pages import register_pages

app = rx.App(
    api_transformer=create_api(with_cors=False),
    stylesheets=["/styles.css"],
    # The browser audio bridge (AudioWorklet, 16 kHz PCM) and the live interview page glue using it.
    head_components=[rx.script(src="/mic_bridge.js"), rx.script(src="/interview_page.js")],
    # Pages without a pre-rendered file (ids in the path) show the app's frame while loading.
    hydrate_fallback=hydrate_fallback,
)
register_pages(app)
