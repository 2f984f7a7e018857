"""The signed-in layout: a role-aware sidebar (a menu on small screens) and a top bar with the
user's name, role, company and a Sign out button."""

from __future__ import annotations

import reflex as rx

from interviewer.components.skeleton import shell_skeleton
from interviewer.components.ui import role_badge
from interviewer.state.auth_state import AuthState

# (label, route, lucide icon); AuthState.nav_hrefs decides which ones a role sees.
NAV_ITEMS = [
    ("Dashboard", "/dashboard", "layout_dashboard"),
    ("Candidates", "/candidates", "contact"),
    ("Jobs", "/jobs", "briefcase"),
    ("Interviews", "/interviews", "calendar_clock"),
    ("Company requests", "/admin/company-requests", "inbox"),
    ("Companies", "/admin/companies", "building_2"),
    ("Users", "/users", "users"),
    ("Roles", "/roles", "shield_check"),
    ("Outbox", "/outbox", "mail"),
    ("AI settings", "/settings/ai", "sparkles"),
    ("Fairness audit", "/fairness", "scale"),
    ("My availability", "/availability", "calendar_range"),
    ("My profile", "/me", "circle_user"),
    ("Resume check", "/me/ats", "file_check"),
]


def brand(size: str = "4") -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.center(rx.icon("bot", size=20), class_name="brand-mark"),
            rx.heading("AI Interviewer", size=size, weight="bold", class_name="brand-text"),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        color="inherit",
    )


def _nav_link(label: str, href: str, icon: str, active: str) -> rx.Component:
    link = rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(label, size="2", weight="medium"), align="center", spacing="3"),
        href=href,
        underline="none",
        class_name="nav-link nav-link--active" if href == active else "nav-link",
        aria_current="page" if href == active else None,
    )
    return rx.cond(AuthState.nav_hrefs.contains(href), link, rx.fragment())


def sidebar(active: str) -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.box(brand(), padding="1.25em 1em 1em 1.25em"),
            rx.vstack(*[_nav_link(label, href, icon, active) for label, href, icon in NAV_ITEMS],
                      spacing="1", width="100%", padding_x="0.75em"),
            rx.spacer(),
            rx.text("Signed in to ", rx.text.strong(rx.cond(AuthState.user.company_name != "",
                                                              AuthState.user.company_name, "the platform")),
                    size="1", color_scheme="gray", padding="1em 1.25em"),
            height="100%",
            spacing="2",
        ),
        as_="nav",
        aria_label="Main",
        class_name="sidebar",
    )


def _mobile_menu(active: str) -> rx.Component:
    items = [
        rx.cond(
            AuthState.nav_hrefs.contains(href),
            rx.menu.item(rx.hstack(rx.icon(icon, size=16), rx.text(label), spacing="2", align="center"),
                         on_click=rx.redirect(href)),
            rx.fragment(),
        )
        for label, href, icon in NAV_ITEMS
    ]
    return rx.menu.root(
        rx.menu.trigger(rx.icon_button(rx.icon("menu", size=20), variant="ghost", aria_label="Open menu")),
        rx.menu.content(*items),
    )


def user_chip() -> rx.Component:
    return rx.hstack(
        rx.avatar(fallback=AuthState.user_initials, size="2", radius="full", color_scheme="indigo"),
        rx.vstack(
            rx.text(AuthState.user.name, size="2", weight="bold", class_name="user-name"),
            rx.hstack(
                role_badge(AuthState.user.role, AuthState.user.role_label),
                rx.cond(AuthState.user.company_name != "",
                        rx.text(AuthState.user.company_name, size="1", color_scheme="gray", class_name="user-company"),
                        rx.fragment()),
                rx.cond(AuthState.user.custom_role_name != "",
                        rx.text("· ", AuthState.user.custom_role_name, size="1", color_scheme="gray"),
                        rx.fragment()),
                spacing="2",
                align="center",
                class_name="user-chip-meta",
            ),
            spacing="0",
            align="start",
        ),
        spacing="2",
        align="center",
        class_name="user-chip",
    )


def topbar(active: str) -> rx.Component:
    return rx.flex(
        rx.box(_mobile_menu(active), class_name="mobile-only"),
        rx.box(brand("3"), class_name="mobile-only"),
        rx.spacer(),
        user_chip(),
        rx.link(rx.icon_button(rx.icon("key_round", size=16), variant="ghost", color_scheme="gray",
                               aria_label="Change password", title="Change password"),
                href="/account/password", id="change-password-link"),
        rx.button(rx.icon("log_out", size=16), rx.text("Sign out", class_name="hide-xs"), variant="soft",
                  color_scheme="gray", on_click=AuthState.logout, aria_label="Sign out"),
        align="center",
        spacing="3",
        class_name="topbar",
    )


def app_shell(active: str, *content: rx.Component) -> rx.Component:
    """A signed-in page. ``active`` is the route highlighted in the navigation."""
    return rx.cond(
        AuthState.is_authenticated,
        rx.flex(
            sidebar(active),
            rx.box(
                topbar(active),
                rx.box(*content, as_="main", class_name="page-content"),
                class_name="main-column",
            ),
            class_name="app-shell",
        ),
        # Pre-rendered into the page's HTML: the app's frame is painted before any script runs.
        shell_skeleton(brand=brand()),
    )
