"""Page registration: every route of the web app is added here."""

import reflex as rx


def register_pages(app: rx.App) -> None:
    from interviewer.pages.login import login_page

    app.add_page(login_page, route="/login", title="Sign in | AI Interviewer")
