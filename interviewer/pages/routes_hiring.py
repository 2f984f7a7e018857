"""Routes of the hiring pages (registered by interviewer.pages.register_pages)."""

import reflex as rx


def register_hiring_pages(app: rx.App, title: str) -> None:
    """Adds this area's pages to the app."""
