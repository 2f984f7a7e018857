"""Loading skeletons: grey blocks in the shape of what is coming, shown at once instead of a blank
page or a lone spinner.

The production build pre-renders every page with its initial state, so ``shell_skeleton`` (what
``app_shell`` shows until the signed-in user is known) is in the HTML itself: the browser paints
the app's frame before any JavaScript has run. ``page_skeleton`` stands in for a page's body until
its data has loaded. Plain elements with CSS classes (``assets/styles.css``), no JavaScript."""

from __future__ import annotations

import reflex as rx


def bar(width: str = "100%", height: str = "0.85rem", **props) -> rx.Component:
    return rx.box(class_name="skeleton", width=width, height=height, **props)


def _card(*children: rx.Component, **props) -> rx.Component:
    return rx.box(rx.vstack(*children, spacing="3", width="100%"), class_name="skeleton-card", width="100%",
                  **props)


def _stat_card() -> rx.Component:
    return _card(rx.hstack(bar("38px", "38px", border_radius="10px"),
                           rx.vstack(bar("55%"), bar("30%", "1.6rem"), spacing="2", width="100%"),
                           spacing="3", width="100%", align="center"))


def _table(rows: int = 6) -> rx.Component:
    return _card(bar("30%", "1.1rem"),
                 *[rx.hstack(bar("26%"), bar("30%"), bar("14%"), bar("18%"), spacing="4", width="100%")
                   for _ in range(rows)])


def page_skeleton() -> rx.Component:
    """A page's body while its data loads: a row of cards and a list."""
    return rx.vstack(
        rx.grid(_stat_card(), _stat_card(), _stat_card(), columns={"initial": "1", "sm": "3"}, spacing="4",
                width="100%"),
        _table(),
        spacing="4",
        width="100%",
        class_name="page-skeleton",
        role="status",
        aria_busy="true",
        aria_label="Loading",
    )


def shell_skeleton(*, brand: rx.Component) -> rx.Component:
    """The signed-in layout before the user is known: sidebar, top bar and page blocks."""
    sidebar = rx.box(
        rx.vstack(
            rx.box(brand, padding="1.25em 1em 1em 1.25em"),
            rx.vstack(*[bar(width, "1.1rem", margin_y="0.45rem") for width in ("70%", "80%", "55%", "75%", "60%",
                                                                              "68%")],
                      spacing="1", width="100%", padding_x="1.5em"),
            spacing="2", height="100%",
        ),
        class_name="sidebar",
    )
    topbar = rx.flex(rx.spacer(), bar("32px", "32px", border_radius="50%"), bar("120px", "1rem"),
                     bar("84px", "32px", border_radius="6px"), align="center", spacing="3", class_name="topbar")
    header = rx.vstack(bar("220px", "1.6rem"), bar("340px", "0.9rem", max_width="80%"), spacing="2",
                       margin_bottom="1.5rem")
    return rx.flex(
        sidebar,
        rx.box(topbar, rx.box(header, page_skeleton(), class_name="page-content"), class_name="main-column"),
        class_name="app-shell shell-skeleton",
        id="shell-skeleton",
    )


def hydrate_fallback() -> rx.Component:
    """The page React Router pre-renders for addresses that have no page file of their own (a
    candidate's, a job's or a report's page, whose id is in the path): the app's frame at once,
    instead of a blank screen until the scripts have loaded. No state: it is static HTML."""
    static_brand = rx.hstack(
        rx.center(rx.icon("bot", size=20), class_name="brand-mark"),
        rx.heading("AI Interviewer", size="4", weight="bold", class_name="brand-text"),
        align="center", spacing="2",
    )
    return shell_skeleton(brand=static_brand)
