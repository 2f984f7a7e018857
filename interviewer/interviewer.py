"""The Reflex app: the REST API is mounted underneath via api_transformer; pages are registered here.

The Radix theme is configured in rxconfig.py (RadixThemesPlugin)."""

import reflex as rx

from interviewer.api.app import create_api
from interviewer.pages import register_pages

app = rx.App(
    api_transformer=create_api(with_cors=False),
    stylesheets=["/styles.css"],
    head_components=[rx.script(src="/interview_page.js")],  # the candidate's live interview page glue
)
register_pages(app)
