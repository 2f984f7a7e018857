"""The page for an address that does not exist: says so plainly and offers a way back.

Reflex renders it for every unknown path; the servers answer those paths with HTTP 404 (Reflex's
production static server from its route table, nginx from the generated route list, see
deploy/nginx/interviewer.conf.template)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.public_layout import auth_layout, centered_message
from interviewer.components.ui import link_button

GO_BACK_JS = "window.history.length > 1 ? window.history.back() : window.location.assign('/')"


def not_found_page() -> rx.Component:
    return auth_layout(
        "Page not found",
        "",
        rx.box(
            centered_message("map_pin_off", "amber", "We could not find this page",
                             "The link may be mistyped, or the page was moved or removed. "
                             "Nothing was changed in your account."),
            id="not-found",
        ),
        rx.vstack(
            link_button(rx.icon("house", size=16), "Go to my home page", href="/", link_id="not-found-home", size="3",
                        width="100%"),
            rx.button(rx.icon("arrow_left", size=16), "Go back", size="3", variant="soft", color_scheme="gray",
                      width="100%", on_click=rx.call_script(GO_BACK_JS), id="not-found-back"),
            spacing="2", width="100%",
        ),
    )
